"""benches/python/runner.py: its verification fails on a corrupted, lost or resized message, its JSON has
the Google Benchmark shape the rest of ipcbench reads, and ipcbench merges its py/ entries."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(ROOT, "benches", "python")
# ctest puts benches/python on PYTHONPATH, where ipcbench runs the runner from.
import py_ipc  # noqa: E402
import py_measure  # noqa: E402
from py_payload import PayloadError, Source, verify  # noqa: E402

# What ipcbench hands the runner for its quick profile, with the pool family switched on.
QUICK_PLAN = json.dumps(
    {
        "profile": "quick",
        "ipc_sizes": [64],
        "min_time": 0.02,
        "pool_tasks": 50,
        "ipc": True,
        "workers": True,
        "homework": {"loops": 350_000, "lines": 85_000, "tasks": 4},
    }
)
IPCBENCH = os.environ.get("IPCBENCH_BINARY", os.path.join(ROOT, "build", "ipcbench"))
REQUIRED = {
    "name": str,
    "run_name": str,
    "run_type": str,
    "iterations": int,
    "real_time": (int, float),
    "cpu_time": (int, float),
    "time_unit": str,
}


class CorruptingEnd(py_ipc.PipeEnd):
    """The peer's end of a pipe that flips one body byte of every echo."""

    def send(self, data):
        data = bytearray(data)
        data[-1] ^= 0x40
        super().send(bytes(data))


def make_corrupting_pipe(max_size):
    a, b, close = py_ipc.make_pipe(max_size)
    return a, CorruptingEnd(b.conn), close


class Payload(unittest.TestCase):
    def test_a_good_message_passes_and_every_fault_is_named(self):
        src = Source(64)
        verify(src.stamp(5), 5, 64)
        flipped = bytearray(src.stamp(5))
        flipped[40] ^= 1
        with self.assertRaisesRegex(PayloadError, "checksum mismatch"):
            verify(bytes(flipped), 5, 64)
        with self.assertRaisesRegex(PayloadError, "sequence number 6 arrived"):
            verify(src.stamp(6), 5, 64)
        with self.assertRaisesRegex(PayloadError, "63 bytes arrived"):
            verify(src.stamp(5)[:63], 5, 64)


class Measure(unittest.TestCase):
    def test_every_mechanism_moves_verified_messages(self):
        for mech, (_, kinds, _) in py_ipc.MECHANISMS.items():
            for kind in kinds:
                for workload in ("latency", "throughput"):
                    r = py_measure.run_ipc(mech, workload, kind, 4096, 0.01)
                    self.assertGreater(r["iterations"], 0, (mech, kind, workload))

    def test_a_corrupted_message_fails_the_benchmark(self):
        py_ipc.MECHANISMS["corrupting_pipe"] = (make_corrupting_pipe, ("thread",), "socketpair")
        try:
            with self.assertRaisesRegex(PayloadError, "checksum mismatch"):
                py_measure.run_ipc("corrupting_pipe", "latency", "thread", 64, 0.01)
        finally:
            del py_ipc.MECHANISMS["corrupting_pipe"]


class RunnerJson(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ipcbench-py-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_runner_writes_google_benchmark_entries(self):
        out = os.path.join(self.dir, "py.json")
        r = subprocess.run(
            [
                sys.executable,
                os.path.join(RUNNER, "runner.py"),
                "--plan",
                QUICK_PLAN,
                "--filter",
                "^py/(ipc/mp_pipe/latency|spawn/thread|homework/cpu/sequential)",
                "--out",
                out,
            ],
            capture_output=True,
            text=True,
        )
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
        self.assertIn("python_version", data["context"])
        names = [b["name"] for b in data["benchmarks"]]
        self.assertIn("py/ipc/mp_pipe/latency/peer:process/pin:cross/size:64", names)
        for b in data["benchmarks"]:
            for key, kind in REQUIRED.items():
                self.assertIsInstance(b[key], kind, (b["name"], key))
            self.assertGreater(b["real_time"], 0, b["name"])
            if "/latency/" in b["name"]:
                # The C++ harness's rule: a percentile only with ten samples beyond it, with its interval.
                self.assertEqual(b["samples"], b["iterations"])
                for key, q in py_measure.PERCENTILES:
                    self.assertEqual(key in b, b["samples"] >= py_measure.samples_needed(q), (key, b["samples"]))
                    if key in b:
                        self.assertLessEqual(b[key + "_lo"], b[key])
                        self.assertLessEqual(b[key], b[key + "_hi"])
                self.assertLessEqual(b["p50_ns"], b["max_ns"])

    def test_rounds_repeat_every_benchmark_and_say_which(self):
        out = os.path.join(self.dir, "rounds.json")
        plan = json.loads(QUICK_PLAN)
        plan["rounds"] = 2
        r = subprocess.run(
            [sys.executable, os.path.join(RUNNER, "runner.py"), "--plan", json.dumps(plan), "--filter", "^py/spawn/"]
            + ["--out", out],
            capture_output=True,
            text=True,
        )
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            entries = json.load(f)["benchmarks"]
        self.assertEqual(
            sorted((b["name"], b["ipcbench_round"]) for b in entries),
            sorted((f"py/spawn/{k}", n) for k in ("process", "thread") for n in (1, 2)),
        )
        self.assertTrue(all(b["repetitions"] == 2 for b in entries))

    def test_bad_arguments_exit_2(self):
        for plan in ('{"ipc": true}', "not json", "[]"):
            r = subprocess.run(
                [
                    sys.executable,
                    os.path.join(RUNNER, "runner.py"),
                    "--plan",
                    plan,
                    "--out",
                    os.path.join(self.dir, "x.json"),
                ],
                capture_output=True,
                text=True,
            )
            self.assertEqual(r.returncode, 2, plan)
            self.assertIn("--plan is not a plan", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "x.json")))

    @unittest.skipUnless(os.access(IPCBENCH, os.X_OK), "build/ipcbench is not built")
    def test_ipcbench_merges_python_entries_and_no_python_leaves_them_out(self):
        listed = subprocess.run([IPCBENCH, "--list", "--profile=quick"], capture_output=True, text=True).stdout
        self.assertIn("py/ipc/mp_queue/latency/peer:process/pin:cross/size:64", listed)
        without = subprocess.run(
            [IPCBENCH, "--list", "--profile=quick", "--no-python"], capture_output=True, text=True
        ).stdout
        self.assertFalse([n for n in without.splitlines() if n.startswith("py/")])
        out = os.path.join(self.dir, "run.json")
        r = subprocess.run(
            [IPCBENCH, "--profile=quick", "--filter=^(floor/syscall|py/ipc/mp_pipe/latency)", f"--out={out}"],
            capture_output=True,
            text=True,
            cwd=self.dir,
        )
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
        names = {b["name"] for b in data["benchmarks"]}
        self.assertIn("floor/syscall", names)
        self.assertIn("py/ipc/mp_pipe/latency/peer:thread/pin:cross/size:64", names)
        self.assertIn("python_version", data["context"]["python"])
        self.assertEqual(sorted(os.listdir(self.dir)), ["run.json"])  # the runner's file is gone


if __name__ == "__main__":
    unittest.main()
