"""Every Python entry point (render, report, compare, trend, export, merge, noise, error-rates) meets a missing,
empty, truncated, binary, non-UTF-8, wrong-shaped or directory argument with one line on stderr, exit 2,
no output file and no traceback."""
import concurrent.futures
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import unittest

from tests.python import in_process

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOOD = os.path.join(ROOT, "tests", "fixtures", "default-subset.json")

BAD_FILES = {  # name -> bytes (None: the path does not exist; "dir": a directory)
    "missing": None,
    "directory": "dir",
    "empty": b"",
    "truncated": b'{"context": {}, "benchmarks": [{"name": "ipc/pipe/lat',
    "binary": bytes(range(256)) * 4,
    "not_utf8": '{"context": {"host_name": "caf\u00e9"}, "benchmarks": []}'.encode("latin-1"),
    "a_list": b"[1, 2, 3]",
    "no_benchmarks": b'{"context": {}}',
    "benchmarks_not_a_list": b'{"context": {}, "benchmarks": {"a": 1}}',
}


def entry_points(bad, out):
    """(name, argv after the interpreter) for every entry point, `bad` where it reads a results file."""
    return [
        ("render", ["-m", "plots.render", bad, "--out-dir", out]),
        ("report", ["-m", "plots.report", bad, "--out-dir", out]),
        ("report (second run)", ["-m", "plots.report", GOOD, bad, "--out-dir", out]),
        ("compare (base)", ["-m", "tracking.compare", bad, GOOD]),
        ("compare (candidate)", ["-m", "tracking.compare", GOOD, bad]),
        ("trend", ["-m", "tracking.trend", GOOD, bad, "--out", os.path.join(out, "trend.svg")]),
        ("export", ["-m", "tracking.export_gab", bad, "--out-dir", out]),
        ("merge", ["-m", "tracking.merge_runs", os.path.join(out, "merged.json"), bad]),
        ("compare (A/A history)", ["-m", "tracking.compare", GOOD, GOOD, "--noise", bad]),
        (
            "compare (record A/A)",
            ["-m", "tracking.compare", GOOD, bad, "--record-noise", os.path.join(out, "history.json")],
        ),
        ("noise", ["-m", "tracking.noise", bad]),
        ("coverage", ["-m", "tracking.coverage", GOOD, bad]),
        ("error-rates", ["-m", "tracking.error_rates", "--analyze-only", "--dir", bad]),
    ]


class BadInputIsOneLineAndExit2(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ipcbench-bad-input-")
        cls.paths = {}
        for name, content in BAD_FILES.items():
            path = os.path.join(cls.tmp, name + ".json")
            if content == "dir":
                os.mkdir(path)
            elif content is not None:
                with open(path, "wb") as f:
                    f.write(content)
            cls.paths[name] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_every_entry_point_refuses_every_bad_file(self):
        cases = []
        for kind, bad in self.paths.items():
            for index in range(len(entry_points(bad, ""))):
                out = tempfile.mkdtemp(prefix="out-", dir=self.tmp)
                name, argv = entry_points(bad, out)[index]
                if name == "error-rates" and kind not in ("missing", "empty", "binary", "dir"):
                    continue  # it takes a directory of runs: a file or nothing there is its bad input
                cases.append((kind, name, argv, out))

        # One interpreter per entry point runs it on every bad file, as `python -m` would (importing
        # matplotlib and scipy once, not a hundred times); the entry points run side by side.
        by_module = {}
        for case in cases:
            by_module.setdefault(case[2][1], []).append(case[2][2:])

        def run(module):
            r = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tests.python.test_bad_input",
                    "--run-cases",
                    module,
                    json.dumps(by_module[module]),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=300,
            )
            self.assertEqual(r.returncode, 0, r.stderr)
            return dict(zip((json.dumps(a) for a in by_module[module]), json.loads(r.stdout)))

        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            outcomes = {}
            for found in pool.map(run, by_module):
                outcomes.update(found)
        for kind, name, argv, out in cases:
            status, stderr = outcomes[json.dumps(argv[2:])]
            with self.subTest(entry=name, file=kind):
                self.assertEqual(status, 2, f"{name} on {kind}: {stderr}")
                self.assertNotIn("Traceback", stderr)
                self.assertEqual(len(stderr.strip().splitlines()), 1, stderr)
                self.assertEqual(os.listdir(out), [], f"{name} on {kind} wrote {os.listdir(out)}")


def run_cases(module, argvs):
    """Runs `python -m module` with each argv in this interpreter; prints [[exit status, stderr], ...].
    An exception that escapes the entry point is what would have printed a traceback."""

    def as_main():
        runpy.run_module(module, run_name="__main__", alter_sys=True)

    outcomes = []
    for argv in argvs:
        sys.argv = [module, *argv]
        try:
            r = in_process.run(as_main)
            outcomes.append([r.returncode, r.stderr])
        except Exception as e:  # noqa: BLE001 -- a traceback, reported as one
            outcomes.append([1, f"Traceback: {type(e).__name__}: {e}\n"])
    json.dump(outcomes, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run-cases"]:
        run_cases(sys.argv[2], json.loads(sys.argv[3]))
    else:
        unittest.main()
