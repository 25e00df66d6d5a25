"""scripts/compare on synthesized runs: identical inputs, a clear regression and improvement, noise only,
benchmarks on one side only, counter-only changes, different machines, and malformed input (exit 2)."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

from tests.python import in_process
from tracking import compare

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMPARE = os.path.join(ROOT, "scripts", "compare")


def run_json(benchmarks, host="ci-runner"):
    """A Google Benchmark JSON file: benchmarks = {name: [entry fields per repetition]}."""
    entries = []
    for name, reps in benchmarks.items():
        for i, fields in enumerate(reps):
            entries.append(
                {
                    "name": name,
                    "run_name": name,
                    "run_type": "iteration",
                    "repetitions": len(reps),
                    "repetition_index": i,
                    "iterations": 1000,
                    "time_unit": "us",
                    "cpu_time": 1.0,
                    **fields,
                }
            )
    return {"context": {"host_name": host, "cpu_model": "AMD EPYC", "num_cpus": 2}, "benchmarks": entries}


def reps(center, spread=0.01, n=9, seed=0, key="real_time", **extra):
    rng = random.Random(seed)
    return [{key: center * (1 + rng.uniform(-spread, spread)), **extra} for _ in range(n)]


def compare_in_process(argv):
    """scripts/compare's main in this interpreter; test_bad_input_exits_2_with_one_line runs
    scripts/compare itself."""
    return in_process.run(lambda: compare.main(argv))


FOUR = ["ipc/pipe/latency", "ipc/tcp/latency", "spawn/fork", "floor/syscall"]  # runs of several benchmarks


class Compare(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ipcbench-compare-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(data if isinstance(data, str) else json.dumps(data))
        return path

    def compare(self, base, cand, *args):
        a = base if isinstance(base, str) and base.endswith(".json") else self.write("a.json", base)
        b = cand if isinstance(cand, str) and cand.endswith(".json") else self.write("b.json", cand)
        return compare_in_process([a, b, *args])

    def rounds(self, centers, seed=0):
        """Merged interleaved runs: 3 repetitions per round, round r centred on centers[r]."""
        out = []
        for r, center in enumerate(centers, 1):
            out += [dict(fields, ipcbench_round=r) for fields in reps(center, n=3, seed=seed + r)]
        return out

    def test_a_change_in_every_round_is_a_regression_and_says_after_how_many(self):
        base = run_json({"ipc/pipe/latency": self.rounds([20.0] * 15)})
        cand = run_json({"ipc/pipe/latency": self.rounds([22.0] * 15, seed=50)})
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertRegex(
            r.stdout, r"\| `ipc/pipe/latency` \| real_time \+(9|10)\.\d%, p=.*, in 15 of 15 rounds \| 45 vs 45 \| 15 \|"
        )

    def test_a_change_in_a_few_rounds_cannot_convict(self):
        # One benchmark of four moved in five of fifteen rounds: the pooled samples differ, the pairs do not.
        base = run_json({n: self.rounds([20.0] * 15, seed=i) for i, n in enumerate(FOUR)})
        cand = run_json(
            {
                n: self.rounds([26.0] * 5 + [20.0] * 10 if i == 0 else [20.0] * 15, seed=50 + i)
                for i, n in enumerate(FOUR)
            }
        )
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("**4 unchanged**", r.stdout)  # the median pair did not move

    def test_pairs_share_the_wake_up_mode_that_pooled_samples_mix(self):
        # Each round is in the fast (20 us) or the slow (70 us) mode for both builds alike; the candidate is
        # 8 % slower in every round. The pooled samples overlap; the pairs are unanimous.
        modes = [20.0 if r % 3 else 70.0 for r in range(15)]
        base = run_json({"ipc/tcp/latency": self.rounds(modes, seed=1)})
        cand = run_json({"ipc/tcp/latency": self.rounds([m * 1.08 for m in modes], seed=2)})
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertRegex(r.stdout, r"real_time \+8\.\d%")

    def test_every_benchmark_slower_in_most_rounds_is_a_whole_run_regression(self):
        names = FOUR
        base = run_json({n: self.rounds([20.0] * 9, seed=i) for i, n in enumerate(names)})
        cand = run_json({n: self.rounds([22.0] * 9, seed=50 + i) for i, n in enumerate(names)})  # too few to judge one
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("The candidate as a whole regressed", r.stdout)
        self.assertIn("in 9 of 9 rounds", r.stdout)

    def test_identical_inputs_are_unchanged(self):
        run = run_json({"ipc/pipe/latency": reps(20.0), "spawn/fork": reps(1500.0, seed=3)})
        r = self.compare(run, run)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("**0 regressed**", r.stdout)
        self.assertIn("**2 unchanged**", r.stdout)

    def test_a_clear_regression_is_flagged_and_exits_1(self):
        base = run_json(
            {"ipc/pipe/latency": self.rounds([20.0] * 15, seed=1), "spawn/fork": self.rounds([1500.0] * 15)}
        )
        cand = run_json(
            {"ipc/pipe/latency": self.rounds([22.0] * 15, seed=3), "spawn/fork": self.rounds([1500.0] * 15, seed=4)}
        )
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("### Regressed (1)", r.stdout)
        self.assertRegex(r.stdout, r"\| `ipc/pipe/latency` \| real_time \+\d+\.\d%, p=.*\| 45 vs 45 \| 15 \|")
        self.assertIn("**1 regressed**", r.stdout)  # spawn/fork, which did not move, is not among them
        self.assertIn("**1 unchanged**", r.stdout)
        self.assertNotIn("not interleaved", r.stdout + r.stderr)

    def test_a_clear_improvement_is_reported_and_exits_0(self):
        base = run_json({"ipc/pipe/latency": self.rounds([20.0] * 15, seed=1)})
        cand = run_json({"ipc/pipe/latency": self.rounds([17.0] * 15, seed=2)})
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("### Improved (1)", r.stdout)

    def stored_pair(self, change):
        """Two runs that were not interleaved: ten benchmarks, the whole second run 15 % slow (the machine's
        pace), ipc/pipe/latency also `change` slower."""
        names = ["ipc/pipe/latency"] + [f"ipc/m{i}/latency" for i in range(9)]
        base = run_json({n: reps(20.0, seed=i) for i, n in enumerate(names)})
        cand = run_json(
            {n: reps(20.0 * 1.15 * (1 + change if i == 0 else 1), seed=50 + i) for i, n in enumerate(names)}
        )
        return base, cand

    def history(self, pipe_change):
        """An A/A history in which ipc/pipe/latency moved by `pipe_change` and the others by 2 %."""
        changes = {"ipc/pipe/latency": {"real_time": pipe_change}}
        changes.update({f"ipc/m{i}/latency": {"real_time": 0.02} for i in range(9)})
        return self.write("noise.json", {"pairs": [{"date": "d", "changes": changes}] * 9})

    def test_stored_runs_that_were_not_interleaved_cannot_convict_without_a_history(self):
        base, cand = self.stored_pair(0.5)
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("WARNING: these runs were not interleaved", r.stdout)
        self.assertIn("not interleaved", r.stderr)
        self.assertIn("The candidate's run against the baseline's, over all benchmarks: +15 %", r.stdout)
        self.assertIn("**1 too noisy to tell**", r.stdout)  # the 50 % change is shown, not a verdict
        self.assertIn("**9 unchanged**", r.stdout)  # the machine's 15 % is normalised away

    def test_stored_runs_are_judged_against_each_benchmarks_own_noise(self):
        base, cand = self.stored_pair(0.3)
        quiet = self.compare(base, cand, "--noise", self.history(0.02))
        self.assertEqual(quiet.returncode, 1, quiet.stdout)
        self.assertIn("against this machine's A/A history", quiet.stdout)
        self.assertIn("### Regressed (1)", quiet.stdout)
        noisy = self.compare(base, cand, "--noise", self.history(0.4))  # it moved 40 % between two A runs
        self.assertEqual(noisy.returncode, 0, noisy.stdout)
        self.assertIn("**1 too noisy to tell**", noisy.stdout)

    def test_make_baselines_a_a_pairs_build_the_history_each_benchmark_is_judged_by(self):
        history = os.path.join(self.dir, "history.json")
        for k in range(32):  # more pairs than are kept
            base, again = self.stored_pair(0.2 if k == 31 else 0.0)  # pipe moved 20 % between two A runs once
            r = self.compare(base, again, "--record-noise", history)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"A/A history {history}: 30 pairs", r.stderr)
        shown = subprocess.run(
            [sys.executable, "-m", "tracking.noise", history], capture_output=True, text=True, cwd=ROOT
        )
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertRegex(shown.stdout, r"ipc/pipe/latency real_time=(39|40|41)%")  # twice its largest move
        base, cand = self.stored_pair(0.35)
        r = self.compare(base, cand, "--noise", history)
        self.assertEqual(r.returncode, 0, r.stdout)  # within what this benchmark does on its own
        base, cand = self.stored_pair(0.6)
        r = self.compare(base, cand, "--noise", history)
        self.assertEqual(r.returncode, 1, r.stdout)

    def test_instruction_counts_are_judged_by_their_change_alone(self):
        def counted(memcpy, pipe):
            data = run_json(
                {
                    "floor/memcpy": [{"real_time": memcpy}],
                    "ipc/pipe": [{"real_time": pipe}],
                    "spawn/fork": [{"real_time": 900.0}],
                }
            )
            data["context"]["measure"] = "callgrind instructions"
            return data

        r = self.compare(counted(1000.0, 5000.0), counted(1100.0, 5050.0))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("| `floor/memcpy` | real_time +10.0%", r.stdout)
        self.assertIn("**2 unchanged**", r.stdout)
        self.assertNotIn("not interleaved", r.stdout)

    def test_a_history_of_fewer_than_nine_pairs_judges_nothing(self):
        history = os.path.join(self.dir, "history.json")
        for _ in range(8):
            self.compare(*self.stored_pair(0.0), "--record-noise", history)
        r = self.compare(*self.stored_pair(0.5), "--noise", history)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("has 8 pairs; it judges from 9 on", r.stderr)
        self.assertIn("**1 too noisy to tell**", r.stdout)

    def test_a_history_that_is_not_one_exits_2(self):
        base, cand = self.stored_pair(0.0)
        r = self.compare(base, cand, "--noise", self.write("bad.json", {"benchmarks": []}))
        self.assertEqual(r.returncode, 2)
        self.assertIn("is not an A/A history", r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)

    def test_noise_alone_is_not_a_regression(self):
        # Same distribution, wide noise: a 5 % shift in medians can happen, but not significantly.
        base = run_json({f"b{i}": reps(100.0, spread=0.3, seed=i) for i in range(20)})
        cand = run_json({f"b{i}": reps(100.0, spread=0.3, seed=100 + i) for i in range(20)})
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("**0 regressed**", r.stdout)

    def test_too_few_repetitions_cannot_convict(self):
        base = run_json({"ipc/pipe/latency": reps(20.0, n=1)})
        cand = run_json({"ipc/pipe/latency": reps(30.0, n=1)})
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("**1 too noisy to tell**", r.stdout)

    def test_benchmarks_on_one_side_are_listed_not_errors(self):
        base = run_json({"kept": reps(10.0), "removed": reps(10.0)})
        cand = run_json({"kept": reps(10.0), "added": reps(10.0)})
        r = self.compare(base, cand)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("### Only in the baseline (1)\n\n- `removed`", r.stdout)
        self.assertIn("### Only in the candidate (1)\n\n- `added`", r.stdout)

    def test_counters_are_judged_in_their_own_direction(self):
        # real_time steady; p50 (lower is better) worse; bytes_per_second (higher is better) lower.
        def run(p50, tput, faster):
            return run_json(
                {
                    "lat": [{"real_time": 20.0, "p50_ns": p50 + i, "ipcbench_round": i + 1} for i in range(15)],
                    "tput": [
                        {"real_time": 5.0, "bytes_per_second": tput + i, "ipcbench_round": i + 1} for i in range(15)
                    ],
                    "faster": [
                        {"real_time": 5.0, "bytes_per_second": faster + i, "ipcbench_round": i + 1} for i in range(15)
                    ],
                }
            )

        r = self.compare(run(50_000, 1e9, 1e9), run(60_000, 0.8e9, 1.2e9))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("| `lat` | p50_ns +20.0%", r.stdout)
        self.assertIn("| `tput` | bytes_per_second -20.0%", r.stdout)
        self.assertIn("### Improved (1)", r.stdout)

    def test_different_machines_warn_loudly(self):
        run = run_json({"x": reps(10.0)})
        other = run_json({"x": reps(10.0)}, host="laptop")
        r = self.compare(run, other)
        self.assertIn("WARNING: the two runs come from different machines (host_name: ci-runner vs laptop)", r.stdout)
        self.assertIn("WARNING", r.stderr)

    def test_summary_file_gets_the_markdown(self):
        run = run_json({"x": reps(10.0)})
        out = os.path.join(self.dir, "summary.md")
        r = self.compare(run, run, "--summary", out)
        self.assertEqual(r.returncode, 0)
        with open(out, encoding="utf-8") as f:
            self.assertIn("## ipcbench: performance comparison", f.read())

    def test_bad_input_exits_2_with_one_line(self):
        good = self.write("good.json", run_json({"x": reps(10.0)}))
        cases = [
            (self.write("trunc.json", json.dumps(run_json({"x": reps(10.0)}))[:80]), "not valid JSON"),
            (self.write("other.json", "[1, 2]"), "no 'benchmarks' list"),
            (os.path.join(self.dir, "missing.json"), "cannot read"),
        ]
        binary = os.path.join(self.dir, "binary.json")
        with open(binary, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01")
        cases.append((binary, "is not a text file"))
        for path, needle in cases:
            r = subprocess.run([COMPARE, good, path], capture_output=True, text=True)
            self.assertEqual(r.returncode, 2, path)
            self.assertIn(needle, r.stderr)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        r = subprocess.run([COMPARE, good, good, "--threshold", "5"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--threshold and --alpha must be between 0 and 1", r.stderr)


if __name__ == "__main__":
    unittest.main()
