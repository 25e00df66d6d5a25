"""scripts/ab's machinery on a stand-in ipcbench (fake_ipcbench.py): benchmarks interleaved in blocks,
more rounds of only the undecided benchmarks within the budget, the verdict table saying after how many
rounds each verdict came, error-rates judging its recorded trials again the same way, and failures
reported in one line."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from tracking import interleave

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAKE = os.path.join(ROOT, "tests", "python", "fake_ipcbench.py")
PIPE = "ipc/pipe/latency/peer:process/pin:cross/size:64"
TCP = "ipc/tcp/latency/peer:process/pin:cross/size:64"


class Ab(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ipcbench-ab-test-")
        self.log = os.path.join(self.dir, "filters.log")
        # The stand-in starts with `env python3`: this interpreter's directory first on PATH spares each
        # of its hundreds of runs a version manager's shim (pyenv's costs 0.3 s a start).
        path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
        self.env = dict(os.environ, PATH=path, PYTHONPATH=ROOT, FAKE_IPCBENCH_LOG=self.log, FAKE_IPCBENCH_NOISY=TCP)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def slower(self, regex, percent):
        """A candidate build: the stand-in, slowed where `regex` matches."""
        path = os.path.join(self.dir, "candidate")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"#!/bin/sh\nexec {sys.executable} {FAKE} \"$@\" --inject-slowdown='{regex}:{percent}'\n")
        os.chmod(path, 0o755)
        return path

    def ab(self, cand, *args, env=None):
        return subprocess.run(
            [sys.executable, "-m", "tracking.ab", FAKE, cand, os.path.join(self.dir, "out"), *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env or self.env,
        )

    def test_blocks_keep_the_order_and_every_benchmark_once(self):
        names = ["floor/a", "floor/b"] + [f"ipc/m{i}/latency" for i in range(20)] + ["spawn/fork"]
        found = interleave.blocks(names, size=8)
        self.assertEqual([len(b) for b in found], [8, 7, 8])
        self.assertEqual([n for b in found for n in b], names)
        self.assertRegex("ipc/eventfd+shm/latency", interleave.name_filter(["ipc/eventfd+shm/latency"]))
        self.assertNotRegex("ipc/eventfdXshm/latency", interleave.name_filter(["ipc/eventfd+shm/latency"]))

    def test_every_side_runs_before_every_other_equally_often(self):
        sides = ["A", "Ap", "B"]
        orders = [interleave.side_order(sides, k) for k in range(12)]
        for first, second in [("A", "Ap"), ("A", "B"), ("Ap", "B")]:
            ahead = sum(o.index(first) < o.index(second) for o in orders)
            self.assertEqual(ahead, 6, (first, second))
        self.assertEqual([interleave.side_order(["A", "B"], k) for k in range(3)], [["A", "B"], ["B", "A"], ["A", "B"]])

    def test_a_slowdown_is_convicted_and_only_the_undecided_run_again(self):
        r = self.ab(self.slower("^ipc/(pipe|tcp)/", 8), "--rounds", "12", "--budget", "0.5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertRegex(r.stdout, rf"\| `{PIPE}` \| p50_ns \+\d.*\| 12 vs 12 \| 12 \|")  # decided after 12 rounds
        with open(self.log, encoding="utf-8") as f:
            filters = f.read().splitlines()
        first, later = filters[:24], filters[24:]  # 12 rounds of one block, two sides
        self.assertTrue(all("pipe" in f and "floor" in f for f in first))
        self.assertTrue(later, "the noisy benchmark got no more rounds")
        for f in later:
            self.assertIn("tcp", f)
            self.assertNotIn("pipe", f)  # decided at the first look
            self.assertNotIn("floor", f)
        self.assertIn("more rounds of them", r.stderr)
        with open(os.path.join(self.dir, "out", "summary.md"), encoding="utf-8") as f:
            self.assertIn("### Regressed (1)", f.read())
        for side in ("base", "candidate"):
            with open(os.path.join(self.dir, "out", f"{side}.json"), encoding="utf-8") as f:
                merged = json.load(f)
            self.assertTrue(all("ipcbench_block" in b for b in merged["benchmarks"]))

    def test_the_same_build_twice_is_no_regression(self):
        r = self.ab(FAKE, "--rounds", "12", "--budget", "0.2")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("**0 regressed**", r.stdout)
        self.assertNotIn("not interleaved", r.stdout)

    def test_more_ipcbench_arguments_reach_every_run(self):
        argv = os.path.join(self.dir, "argv.log")
        r = self.ab(
            FAKE, "--rounds", "3", "--budget", "0.05", "--", "--no-python", env=dict(self.env, FAKE_IPCBENCH_ARGV=argv)
        )
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(argv, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertGreaterEqual(len(lines), 2 + 3 * 2)  # each side's --list, then at least 3 rounds per side
        for line in lines:
            self.assertIn("--profile=ci --no-python", line)

    def test_a_failed_run_is_one_line_and_exit_2(self):
        r = self.ab(FAKE, "--rounds", "3", env=dict(self.env, FAKE_IPCBENCH_FAIL="3"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--list failed: ipcbench: failing as asked", r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        r = self.ab(FAKE, "--rounds", "2")
        self.assertEqual(r.returncode, 2)
        self.assertIn("AB_ROUNDS must be at least 3", r.stderr)

    def test_error_rates_judges_its_recorded_trials_again_alike(self):
        out = os.path.join(self.dir, "er")
        common = ["--trials", "1", "--rounds", "12", "--inject", "^ipc/pipe/", "--percent", "20", "--dir", out]
        run = subprocess.run(
            [os.path.join(ROOT, "scripts", "error-rates"), "--bin", FAKE, "--budget", "0.3", *common],
            capture_output=True,
            text=True,
            env=self.env,
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn(
            "**False alarms: 0 in 7 judgements (A/A). Injected slowdowns caught: 1 of 1.** "
            "Untouched benchmarks of A/B flagged: 0 in 6.",
            run.stdout,
        )
        again = subprocess.run(
            [os.path.join(ROOT, "scripts", "error-rates"), "--analyze-only", *common],
            capture_output=True,
            text=True,
            env=self.env,
        )
        self.assertEqual(again.returncode, 0, again.stderr)
        table = [line for line in run.stdout.splitlines() if line.startswith("| 1 |") or PIPE in line]
        self.assertEqual(len(table), 2, run.stdout)
        for line in table:
            self.assertIn(line, again.stdout)


if __name__ == "__main__":
    unittest.main()
