"""The history side of regression tracking: the trend chart flags a regressed run, the export keeps p99
and bytes/s in github-action-benchmark's formats, rounds merge, and bad input is refused."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from tests.python.test_compare import reps, run_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def script(name, *args):
    return subprocess.run([os.path.join(ROOT, "scripts", name), *args], capture_output=True, text=True)


class Tracking(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ipcbench-tracking-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f)
        return path

    def run_at(self, name, date, sha, latency):
        data = run_json(
            {
                "ipc/pipe/latency": reps(latency, seed=len(name)),
                "ipc/pipe/throughput": reps(5.0, seed=7, bytes_per_second=1e9),
            }
        )
        data["context"].update({"date": date, "ipcbench_git_sha": sha})
        return self.write(name, data)

    def test_trend_flags_the_run_that_regressed(self):
        runs = [
            self.run_at("r1.json", "2026-11-01T00:00", "aaaaaaa", 20.0),
            self.run_at("r2.json", "2026-11-02T00:00", "bbbbbbb", 20.1),
            self.run_at("r3.json", "2026-11-03T00:00", "ccccccc", 24.0),
        ]
        out = os.path.join(self.dir, "trend.svg")
        r = script("trend", *reversed(runs), "--out", out)  # any order: sorted by date
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2 benchmarks over 3 runs, 1 flagged points", r.stdout)
        self.assertEqual(ET.parse(out).getroot().tag, "{http://www.w3.org/2000/svg}svg")

    def test_trend_needs_a_benchmark_in_two_runs(self):
        r = script("trend", self.run_at("only.json", "2026-11-01", "a", 20.0), "--out", os.path.join(self.dir, "t.svg"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("nothing to draw", r.stderr)

    def test_coverage_counts_one_runs_figures_inside_anothers_intervals(self):
        def run(p50, lo, hi, capacity=None):
            entry = {"name": "ipc/pipe/latency", "run_type": "iteration", "real_time": 1.0}
            entry.update(p50_ns=p50, p50_ns_lo=lo, p50_ns_hi=hi)
            if capacity:
                entry.update(capacity_p99_within_100000ns=capacity[0])
                entry.update(capacity_p99_within_100000ns_lo=capacity[1], capacity_p99_within_100000ns_hi=capacity[2])
            return {"context": {}, "benchmarks": [entry]}

        a = self.write("a.json", run(100, 90, 110, (1e6, 0.9e6, 1.2e6)))
        b = self.write("b.json", run(105, 95, 120, (1.5e6, 1.4e6, 1.6e6)))
        out = os.path.join(self.dir, "shares.json")
        r = script("coverage", a, b, "--json", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            shares = json.load(f)
        # p50: 100 in [95, 120] and 105 in [90, 110]; capacity: neither inside the other's.
        self.assertEqual(shares["p50_ns"], {"inside": 2, "compared": 2})
        self.assertEqual(shares["capacity"], {"inside": 0, "compared": 2})
        self.assertIn("| all | 2 | 4 | 50.0% |", r.stdout)
        self.assertNotIn("real_time", shares)  # no interval: nothing to compare against
        one = script("coverage", a)
        self.assertEqual(one.returncode, 2)
        self.assertIn("two or more results files", one.stderr)

    def test_export_keeps_counters_in_their_direction(self):
        data = run_json(
            {
                "lat": [{"real_time": 20.0 + i, "p99_ns": 50_000.0 + i} for i in range(5)],
                "tput": [{"real_time": 5.0, "bytes_per_second": 1e9 + i} for i in range(5)],
            }
        )
        r = script("export-github-benchmark", self.write("run.json", data), "--out-dir", self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.dir, "smaller-is-better.json"), encoding="utf-8") as f:
            smaller = {e["name"]: e for e in json.load(f)}
        with open(os.path.join(self.dir, "bigger-is-better.json"), encoding="utf-8") as f:
            bigger = {e["name"]: e for e in json.load(f)}
        self.assertEqual(smaller["lat"]["value"], 22.0)
        self.assertEqual(smaller["lat"]["unit"], "us")
        self.assertEqual(smaller["lat (p99_ns)"]["value"], 50_002.0)
        self.assertEqual(bigger["tput (bytes_per_second)"]["value"], 1e9 + 2)
        self.assertNotIn("lat", bigger)

    def test_merge_keeps_every_repetition(self):
        a = self.write("a.json", run_json({"x": reps(10.0, n=3)}))
        b = self.write("b.json", run_json({"x": reps(10.0, n=4)}))
        out = os.path.join(self.dir, "merged.json")
        python = subprocess.run(
            [os.path.join(ROOT, "scripts", "find-python")], capture_output=True, text=True
        ).stdout.strip()
        r = subprocess.run([python, "-m", "tracking.merge_runs", out, a, b], cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(len(json.load(f)["benchmarks"]), 7)

    @unittest.skipUnless(
        shutil.which("valgrind") and os.access(os.path.join(ROOT, "build", "ipcbench"), os.X_OK),
        "valgrind or build/ipcbench missing",
    )
    def test_callgrind_counts_instructions_per_benchmark(self):
        r = script("callgrind", "--filter", "^floor/memcpy/size:(64|65536)$", "--out-dir", self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, "hardware (performance )?counters")
        with open(os.path.join(self.dir, "instructions.json"), encoding="utf-8") as f:
            counts = {b["name"]: b["instructions_per_iteration"] for b in json.load(f)["benchmarks"]}
        self.assertEqual(set(counts), {"floor/memcpy/size:64", "floor/memcpy/size:65536"})
        # Copying 1024 times more bytes takes more instructions: the counts are real, not constants.
        self.assertGreater(counts["floor/memcpy/size:65536"], 10 * counts["floor/memcpy/size:64"])

    def test_bad_input_exits_2(self):
        bad = os.path.join(self.dir, "bad.json")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("{")
        self.assertEqual(script("trend", bad, bad).returncode, 2)
        self.assertEqual(script("export-github-benchmark", bad, "--out-dir", self.dir).returncode, 2)
        r = script("ab")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: scripts/ab", r.stderr)
        r = script("ab", "no-such-revision-xyz")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'no-such-revision-xyz' is not a git revision", r.stderr)
        r = script("error-rates", "--analyze-only", "--dir", os.path.join(self.dir, "none"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--analyze-only needs the --dir of an earlier run", r.stderr)
        r = script("error-rates", "--trials", "0")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
