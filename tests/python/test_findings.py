"""The findings judge a mechanism by the facts the run recorded (context.mechanisms), never by its name:
a shared-memory mechanism of any name counts as shared memory, a run without facts judges nothing
from them, and skipped benchmarks are told apart from failed ones by the one prefix. Standard
library only: no charts are drawn."""
import unittest

from plots.analysis import findings
from plots.model import results


def latency(mechanism, p50):
    name = f"ipc/{mechanism}/latency/peer:process/pin:cross/size:64"
    words, params = results.parse_name(name)
    return {"name": name, "words": words, "params": params, "p50_ns": p50}


RECORDS = [latency("quill", 900.0), latency("pipe", 20_000.0), latency("tcp", 40_000.0)]


def shm_claim(facts, records=RECORDS):
    f = findings.all_findings(records, 2, facts)
    return next(verdict for claim, verdict, _ in findings.claims(f) if claim == "shm_fastest")


class FindingsFromFacts(unittest.TestCase):
    def test_the_data_path_decides_not_the_name(self):
        facts = {
            "quill": {"data_path": "shared_memory", "waits": "spins"},
            "pipe": {"data_path": "kernel_copy"},
            "tcp": {"data_path": "network_stack"},
            "ink": {"data_path": "shared_memory", "waits": "blocks"},
        }
        self.assertEqual(shm_claim(facts), "confirmed")
        facts["quill"]["data_path"] = "kernel_copy"
        self.assertEqual(shm_claim(facts, RECORDS + [latency("ink", 5_000.0)]), "contradicted")

    def test_shared_memory_that_sleeps_no_faster_than_a_pipe_makes_it_partly(self):
        records = RECORDS + [latency("ink", 21_000.0)]  # wakes its peer in the kernel for every message
        facts = {
            "quill": {"data_path": "shared_memory", "waits": "spins"},
            "pipe": {"data_path": "kernel_copy"},
            "tcp": {"data_path": "network_stack"},
            "ink": {"data_path": "shared_memory", "waits": "blocks"},
        }
        f = findings.all_findings(records, 2, facts)
        verdict = next(v for claim, v, _ in findings.claims(f) if claim == "shm_fastest")
        self.assertEqual(verdict, "partly")
        self.assertEqual(f["shm_claim"]["slow_sleepers"], [("ink", 21_000.0)])
        from plots import texts

        en, zh = texts.sentence("en", "shm_claim", f["shm_claim"]), texts.sentence("zh", "shm_claim", f["shm_claim"])
        self.assertIn("ink 21 µs", en)
        self.assertIn("the wake-up, not the copy, decides", en)
        self.assertIn("唤醒", zh)

    def test_a_ratio_below_one_reads_as_slower_in_both_languages(self):
        from plots import texts

        self.assertEqual(texts.faster(2.5), "2.5x faster")
        self.assertEqual(texts.faster(0.8), "1.25x slower")
        self.assertEqual(texts.faster(0.8, "zh"), "慢 1.25x")
        self.assertEqual(texts.faster(2.5, "zh"), "快 2.5x")

    def test_throughput_is_read_against_the_cross_cpu_stream_and_latency_states_the_clock(self):
        def record(name, **fields):
            words, params = results.parse_name(name)
            return {"name": name, "words": words, "params": params, **fields}

        tput = "ipc/{}/throughput/peer:process/pin:cross/size:65536"
        records = RECORDS + [
            record(tput.format("quill"), bytes_per_second=20e9),
            record(tput.format("pipe"), bytes_per_second=5e9),
            record("floor/memcpy/size:65536", bytes_per_second=40e9),
            record("floor/stream/size:65536", bytes_per_second=25e9),
            record("floor/clock", real_time=26.0, time_unit="ns"),
        ]
        records[0]["clock_pair_ns"] = 12.0
        f = findings.all_findings(records, 2, {})
        self.assertEqual((f["best_throughput"]["floor_name"], f["best_throughput"]["floor"]), ("floor/stream", 25e9))
        from plots import texts

        self.assertIn(
            "80 % of the cross-CPU streaming floor", texts.sentence("en", "best_throughput", f["best_throughput"])
        )
        self.assertIn("跨 CPU 流式传输下限", texts.sentence("zh", "best_throughput", f["best_throughput"]))
        en = texts.sentence("en", "latency_extremes", f["latency_extremes"])
        self.assertIn("Reading the clock costs 26 ns", en)
        self.assertIn("(12 ns) taken off", en)
        self.assertIn("读一次时钟耗时 26 ns", texts.sentence("zh", "latency_extremes", f["latency_extremes"]))
        # A results file from before floor/stream: the single-core copy, named as such.
        older = [r for r in records if not r["name"].startswith("floor/stream")]
        g = findings.all_findings(older, 2, {})
        self.assertEqual(g["best_throughput"]["floor_name"], "floor/memcpy")
        self.assertIn("single-core memcpy", texts.sentence("en", "best_throughput", g["best_throughput"]))

    def test_a_run_without_facts_judges_nothing_from_them(self):
        self.assertIsNone(shm_claim({}))
        self.assertEqual(results.mechanism_facts({"context": {}}), {})
        self.assertEqual(results.mechanism_facts({"context": {"mechanisms": "?"}}), {})

    def test_the_course_table_takes_where_data_lives_from_the_facts(self):
        rows = [latency("shm_ring.spin", 900.0), latency("pipe", 20_000.0)]
        facts = {"shm_ring.spin": {"data_path": "shared_memory"}, "pipe": {"data_path": "kernel_copy"}}
        table = {r["mechanism"]: r["where"] for r in findings.course_table(rows, facts)}
        self.assertEqual(table, {"shm_ring.spin": "user", "pipe": "kernel"})
        self.assertEqual(findings.course_table(rows, {}), [])

    def test_skips_are_told_by_the_prefix(self):
        self.assertTrue(results.is_skip({"error": results.SKIP_PREFIX + "udp: a 1 MiB message ..."}))
        self.assertTrue(results.is_skip({"error_message": results.SKIP_PREFIX + "posix_mq: ..."}))
        self.assertFalse(results.is_skip({"error": "ipc/pipe: process peer 12 was killed by signal 9"}))


if __name__ == "__main__":
    unittest.main()
