"""The findings judge a mechanism by the facts the run recorded (context.mechanisms), never by its name:
a shared-memory mechanism of any name counts as shared memory, a run without facts judges nothing
from them, and skipped benchmarks are told apart from failed ones by the one prefix. Standard
library only: no charts are drawn."""
import unittest

from plots import findings, results


def latency(mechanism, p50):
    name = f"ipc/{mechanism}/latency/peer:process/pin:cross/size:64"
    words, params = results.parse_name(name)
    return {"name": name, "words": words, "params": params, "p50_ns": p50}


RECORDS = [latency("quill", 900.0), latency("pipe", 20_000.0), latency("tcp", 40_000.0)]


def shm_claim(facts):
    f = findings.all_findings(RECORDS, 2, facts)
    return next(verdict for claim, verdict, _ in findings.claims(f) if claim == "shm_fastest")


class FindingsFromFacts(unittest.TestCase):
    def test_the_data_path_decides_not_the_name(self):
        facts = {"quill": {"data_path": "shared_memory"}, "pipe": {"data_path": "kernel_copy"},
                 "tcp": {"data_path": "network_stack"}}
        self.assertIs(shm_claim(facts), True)
        facts["quill"]["data_path"] = "kernel_copy"
        self.assertIs(shm_claim(facts), False)

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
