"""Choices only where the data chooses: a comparison paired over interleaved rounds (or, without rounds,
from the intervals) names a winner only beyond the rerun margin, a tie names every tied mechanism, and the
decision table answers at the sizes the run measured, comparing only what was measured on both sides.
Standard library only: no charts are drawn."""
import unittest

from plots import texts
from plots.analysis import findings
from plots.analysis import uncertainty
from plots.model import results


def record(name, rounds=None, **fields):
    words, params = results.parse_name(name)
    r = {"name": name, "words": words, "params": params, **fields}
    if rounds:
        field = next(k for k in fields if not k.endswith(("_lo", "_hi")))
        r["rounds"] = {i + 1: {field: v} for i, v in enumerate(rounds)}
    return r


def latency(mech, p50, rounds=None, size=64, lo=None, hi=None):
    fields = {"p50_ns": p50}
    if lo is not None:
        fields.update(p50_ns_lo=lo, p50_ns_hi=hi)
    return record(f"ipc/{mech}/latency/peer:process/pin:cross/size:{size}", rounds, **fields)


def throughput(mech, bps, size):
    return record(f"ipc/{mech}/throughput/peer:process/pin:cross/size:{size}", bytes_per_second=bps)


class Comparisons(unittest.TestCase):
    def test_a_lead_in_every_round_beyond_the_margin_decides(self):
        c = uncertainty.compare(latency("a", 100, [100, 98, 103]), latency("b", 200, [190, 210, 205]), "p50_ns")
        self.assertTrue(c.paired)
        self.assertTrue(c.decided)
        self.assertAlmostEqual(c.ratio, 2.0)
        self.assertLessEqual(c.lo, c.ratio)
        self.assertGreaterEqual(c.hi, c.ratio)

    def test_a_lead_one_round_reverses_is_a_tie(self):
        c = uncertainty.compare(latency("a", 100, [100, 80, 100]), latency("b", 130, [130, 78, 135]), "p50_ns")
        self.assertFalse(c.decided)

    def test_a_lead_within_the_margin_is_a_tie_however_steady(self):
        c = uncertainty.compare(latency("a", 100, [100, 100, 100]), latency("b", 105, [105, 105, 105]), "p50_ns")
        self.assertFalse(c.decided)

    def test_two_lucky_rounds_do_not_crown_a_winner_the_intervals_doubt(self):
        a = latency("a", 100, [100, 100], lo=60, hi=140)
        b = latency("b", 130, [130, 130], lo=90, hi=170)
        c = uncertainty.compare(a, b, "p50_ns")
        self.assertTrue(c.paired)
        self.assertFalse(c.decided)

    def test_without_rounds_the_intervals_decide(self):
        apart = uncertainty.compare(latency("a", 100, lo=95, hi=105), latency("b", 200, lo=190, hi=210), "p50_ns")
        self.assertFalse(apart.paired)
        self.assertTrue(apart.decided)
        overlapping = uncertainty.compare(latency("a", 100, lo=80, hi=130), latency("b", 140, lo=120, hi=160), "p50_ns")
        self.assertFalse(overlapping.decided)

    def test_higher_is_better_figures_compare_the_other_way(self):
        a, b = throughput("a", 4e9, 65536), throughput("b", 1e9, 65536)
        self.assertTrue(uncertainty.compare(a, b, "bytes_per_second", lower_is_better=False).decided)
        self.assertLess(uncertainty.compare(b, a, "bytes_per_second", lower_is_better=False).ratio, 1)

    def test_pace_drift_is_the_floor_that_moved_most_between_rounds(self):
        records = [
            record("floor/syscall", [100, 130], real_time=115),
            record("floor/cacheline/peer:process/pin:cross", [400, 410], p50_ns=405),
        ]
        name, moved = uncertainty.pace_drift(records)
        self.assertEqual(name, "floor/syscall")
        self.assertAlmostEqual(moved, 0.3)
        self.assertIsNone(uncertainty.pace_drift([record("floor/syscall", real_time=1)]))


class DecisionTable(unittest.TestCase):
    def test_a_tie_names_the_tied_mechanisms_and_the_first_beyond_them(self):
        records = [
            latency("adaptive", 190, [190, 195, 188]),
            latency("spin", 200, [201, 190, 199]),
            latency("pipe", 20_000, [20_000, 21_000, 19_000]),
        ]
        row = next(d for d in findings.decisions(records, {}, []) if d["need"] == "latency")
        self.assertEqual(row["tied"], ["adaptive", "spin"])
        self.assertEqual(row["second"], "pipe")
        need, pick, second, _ = texts.decision_row("en", row)
        self.assertTrue(pick.startswith("adaptive ≈ spin ("), pick)
        self.assertTrue(second.startswith("pipe ("), second)
        self.assertIn("64 B", need)

    def test_each_figure_carries_its_interval(self):
        records = [latency("a", 1000, lo=900, hi=1100), latency("b", 50_000, lo=45_000, hi=52_000)]
        row = next(d for d in findings.decisions(records, {}, []) if d["need"] == "latency")
        _, pick, second, _ = texts.decision_row("en", row)
        self.assertEqual(pick, "a (1 µs [900 ns–1.1 µs])")
        self.assertEqual(second, "b (50 µs [45–52 µs])")

    def test_the_table_answers_at_the_sizes_measured_and_needs_a_rival(self):
        # ipcbench --mechanisms=pipe,unix --sizes=4K: everything at 4 KiB, and the 16 MiB zero-copy
        # point that only pipe ran is no row.
        records = [
            latency("pipe", 30_000, size=4096),
            latency("unix", 60_000, size=4096),
            throughput("pipe", 2e9, 4096),
            throughput("unix", 0.5e9, 4096),
            throughput("pipe", 3e9, 16 << 20),
        ]
        rows = {d["need"]: d for d in findings.decisions(records, {}, [])}
        self.assertEqual(set(rows), {"latency", "throughput"})  # no CPU figures in these records
        self.assertEqual(rows["latency"]["size"], 4096)
        self.assertEqual(rows["throughput"]["size"], 4096)
        self.assertIn("4 KiB", texts.decision_row("en", rows["throughput"])[0])


if __name__ == "__main__":
    unittest.main()
