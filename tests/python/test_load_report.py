"""The load charts and findings on a synthesized sweep, numbers worked out by hand: the budget ranking takes
each mechanism's highest achieved rate whose p99 fits and whose offered rate was kept, the spinning and
blocking shared-memory mechanisms part where the blocking one's p99 first doubles the spinning one's, the
points that missed their rate are named, and both charts draw."""
import os
import tempfile
import unittest

from plots import catalog, charts_load, sections
from plots.analysis import findings, load
from plots.model import results

EN = catalog.messages("en")

FACTS = {
    "spinner": {"data_path": "shared_memory", "waits": "spins"},
    "sleeper": {"data_path": "shared_memory", "waits": "blocks"},
    "piper": {"data_path": "kernel_copy", "waits": "blocks"},
}


def point(mech, rate, p99_us, missed=False, cpu=1000.0):
    name = f"load/{mech}/peer:process/pin:cross/size:64/rate:{rate}"
    words, params = results.parse_name(name)
    achieved = rate * (0.5 if missed else 1.0)
    return {
        "name": name,
        "words": words,
        "params": params,
        "offered_rate": float(rate),
        "achieved_rate": achieved,
        "rate_not_achieved": 1 if missed else 0,
        "p50_ns": p99_us * 500.0,
        "p99_ns": p99_us * 1e3,
        "p999_ns": p99_us * 2e3,
        "cpu_ns_per_msg": cpu,
    }


RECORDS = [
    point("spinner", 1000, 5, cpu=100_000),
    point("spinner", 100_000, 8, cpu=2000),
    point("spinner", 1_000_000, 50),
    point("sleeper", 1000, 40),
    point("sleeper", 100_000, 30),
    point("sleeper", 1_000_000, 500, missed=True),
    point("piper", 1000, 60),
    point("piper", 100_000, 90),
    point("piper", 1_000_000, 2000),
]


class LoadFindings(unittest.TestCase):
    def test_budget_ranking_takes_the_highest_kept_rate_within_the_budget(self):
        by, common = load.points(RECORDS)
        self.assertEqual(common, ("process", "cross", "64"))
        self.assertEqual(load.budget_rows(RECORDS, 10_000), [("spinner", 100_000)])
        self.assertEqual(
            load.budget_rows(RECORDS, 100_000), [("spinner", 1_000_000), ("piper", 100_000), ("sleeper", 100_000)]
        )
        # sleeper's 1M point fits a 1 ms budget but did not keep its rate: it does not count
        self.assertEqual(dict(load.budget_rows(RECORDS, 1_000_000))["sleeper"], 100_000)

    def test_a_searched_capacity_replaces_the_grid_and_carries_its_interval(self):
        def search(mech, within_100us, lo, hi, rounds):
            name = f"load/{mech}/peer:process/pin:cross/size:64/search:p99"
            words, params = results.parse_name(name)
            field = "capacity_p99_within_100000ns"
            r = {"name": name, "words": words, "params": params, field: within_100us}
            r.update({field + "_lo": lo, field + "_hi": hi, "probes": 9})
            r["rounds"] = {i + 1: {field: v} for i, v in enumerate(rounds)}
            return r

        records = RECORDS + [
            search("spinner", 2e6, 1.8e6, 2.4e6, [2e6, 1.9e6]),
            search("piper", 3e5, 2.9e5, 3.3e5, [3e5, 3.1e5]),
            search("sleeper", 0, 0, 3e4, [0, 0]),  # broke the budget at its lowest probe
        ]
        caps = load.capacities(records, 100_000)
        self.assertEqual([(r["words"][1], r["capacity"]) for r in caps], [("spinner", 2e6), ("piper", 3e5)])
        self.assertEqual((caps[0]["capacity_lo"], caps[0]["capacity_hi"]), (1.8e6, 2.4e6))
        self.assertEqual(caps[0]["rounds"], {1: {"capacity": 2e6}, 2: {"capacity": 1.9e6}})
        row = next(d for d in findings.decisions(records, FACTS, [100_000]) if d["need"] == "load")
        self.assertEqual(row["tied"], ["spinner"])
        self.assertEqual(row["second"], "piper")

    def test_capacity_finding_names_the_best_and_the_runner_up(self):
        f = findings.load_capacity(RECORDS, [100_000])
        self.assertEqual(f["budgets"][0]["best"], "spinner")
        self.assertEqual(f["budgets"][0]["rate"], 1_000_000)
        self.assertEqual(f["budgets"][0]["second"], "piper")

    def test_spinning_and_blocking_part_where_the_p99_doubles(self):
        f = findings.spin_vs_block(RECORDS, FACTS)
        # at 1k/s sleeper's p99 is 40 us against 5 us: 8x, the first rate where it doubles
        self.assertEqual((f["spin"], f["block"], f["rate"]), ("spinner", "sleeper", 1000))
        self.assertEqual((f["spin_p99"], f["block_p99"]), (5000, 40000))
        self.assertEqual(f["spin_cpu"], 100_000)
        self.assertIsNone(findings.spin_vs_block(RECORDS, {}))

    def test_missed_rates_are_named(self):
        missed = findings.not_achieved(RECORDS)
        self.assertEqual([m["name"] for m in missed], ["load/sleeper/peer:process/pin:cross/size:64/rate:1000000"])
        self.assertEqual(missed[0]["achieved"], 500_000)

    def test_both_charts_draw_and_group_by_data_path(self):
        by, _ = load.points(RECORDS)
        self.assertEqual(
            load.groups(by, FACTS), [("shared_memory", ["sleeper", "spinner"]), ("kernel_copy", ["piper"])]
        )
        context = {"mechanisms": FACTS, "latency_budgets_ns": [10_000, 100_000]}
        drawn = [s for s in sections.SECTIONS if s.id.startswith("load_")]
        self.assertEqual([s.id for s in drawn], ["load_knee", "load_budget", "load_rtt_knee"])
        for section in drawn:
            self.assertIsNotNone(section.draw(RECORDS + RTT, context, EN), section.id)
            self.assertIsNone(section.draw([], context, EN), section.id)


if __name__ == "__main__":
    unittest.main()


def rtt_point(mech, peer, rate, p50_us):
    name = f"load_rtt/{mech}/peer:{peer}/pin:cross/size:64/rate:{rate}"
    words, params = results.parse_name(name)
    return {
        "name": name,
        "words": words,
        "params": params,
        "offered_rate": float(rate),
        "achieved_rate": float(rate),
        "rate_not_achieved": 0,
        "p50_ns": p50_us * 1e3,
        "p99_ns": p50_us * 3e3,
        "p999_ns": p50_us * 5e3,
    }


RTT = [
    rtt_point("tcp", "process", 10_000, 50),
    rtt_point("tcp", "process", 1000, 60),
    rtt_point("tcp", "remote", 10_000, 80),
    rtt_point("udp", "remote", 10_000, 70),
]


class RoundTripsUnderLoad(unittest.TestCase):
    def test_points_are_kept_per_mechanism_and_peer_in_rate_order(self):
        by, common = load.rtt_points(RTT + RECORDS)
        self.assertEqual(common, ("cross", "64"))
        self.assertEqual(sorted(by), [("tcp", "process"), ("tcp", "remote"), ("udp", "remote")])
        self.assertEqual([r["achieved_rate"] for r in by[("tcp", "process")]], [1000, 10_000])

    def test_the_chart_draws_loopback_and_remote_lines(self):
        fig = charts_load.rtt_knee(RTT, {"tcp": {"data_path": "network_stack"}}, EN)
        labels = fig.axes[0].get_legend_handles_labels()[1]
        self.assertIn("tcp, loopback", labels)
        self.assertIn("tcp, between hosts", labels)
        self.assertIsNone(charts_load.rtt_knee(RECORDS, {}, EN))

    def test_the_report_shows_remote_round_trips_in_the_between_hosts_section(self):
        from plots import report

        with tempfile.TemporaryDirectory() as tmp:
            svg = os.path.join(tmp, "load_rtt_knee.svg")
            with open(svg, "w", encoding="utf-8") as f:
                f.write('<svg xmlns="http://www.w3.org/2000/svg"/>')
            doc = report.Doc()
            report.remote_section(doc, RTT, "en", {"remote": {"address": "198.18.0.1:5555"}}, {"load_rtt_knee": [svg]})
            page, md = doc.finish()
        self.assertIn("<svg", page)
        self.assertIn("Round trips under load, between hosts and over loopback", md)
        self.assertIn("load_rtt_knee.svg", md)
        self.assertIn("load_rtt/tcp/peer:remote/pin:cross/size:64/rate:10000", md)
