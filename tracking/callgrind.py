#!/usr/bin/env python3
"""Low-noise mode: instructions per iteration of the harness's own CPU-side code, counted by valgrind's
callgrind, for comparing two builds without timing noise.

usage: scripts/callgrind [--filter REGEX] [--out-dir DIR] [--binary build/ipcbench]
Writes DIR/instructions.json in Google Benchmark's shape (real_time and cpu_time hold the instruction
count per iteration, also in `instructions_per_iteration`), so scripts/compare can compare two of them.

Only user-space instructions of this process are counted: a system call's work in the kernel is not,
so kernel-bound IPC (pipes, sockets, queues) shows only its user-side cost here, and spinning waits
count however long they spun. Valgrind also runs one thread at a time. Use it for CPU-side code
(payload stamping and checking, histograms, copies, the counting kernels), not for IPC latency.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

from . import files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FILTER = (
    "^(floor/memcpy/size:(64|65536)|cpu/(count|primes)/workers:thread/n:1"
    "|ipc/pipe/throughput/peer:thread/pin:cross/size:(64|65536))$"
)


def hardware_counters():
    """Whether the kernel exposes a CPU PMU (what perf stat -e instructions needs)."""
    return any(os.path.isdir(f"/sys/bus/event_source/devices/{d}") for d in ("cpu", "cpu_core", "cpu_atom"))


def parse_dump(path):
    """(benchmark name, iterations, instructions) of one callgrind dump made by with_instruction_count."""
    name = iterations = ir = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"desc: Trigger: Client Request: (.*)\|(\d+)$", line.strip())
            if m:
                name, iterations = m.group(1), int(m.group(2))
            elif line.startswith(("summary:", "totals:")) and ir is None:
                ir = int(line.split()[1])
    return (name, iterations, ir) if name and iterations and ir is not None else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--filter", default=DEFAULT_FILTER)
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "results", "callgrind"))
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "ipcbench"))
    args = ap.parse_args(argv)
    if hardware_counters():
        print("ipcbench: this machine has hardware counters; `perf stat -e instructions` works too")
    else:
        print(
            "ipcbench: no hardware performance counters here (no CPU PMU under /sys/bus/event_source/devices), "
            "so perf stat cannot count instructions: counting with valgrind's callgrind instead"
        )
    if not os.access(args.binary, os.X_OK):
        print(f"ipcbench: {args.binary} is missing; run `make build`", file=sys.stderr)
        return 2
    if subprocess.run(["valgrind", "--version"], capture_output=True).returncode != 0:
        print("ipcbench: valgrind is missing; run scripts/install-deps.sh", file=sys.stderr)
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ipcbench-callgrind-") as tmp:
        cmd = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={tmp}/cg.%p",
            "--dump-instr=no",
            args.binary,
            f"--filter={args.filter}",
            "--benchmark_min_time=0.01",
            f"--out={tmp}/run.json",
        ]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            print(
                f"ipcbench: the run under valgrind failed (exit {run.returncode}): {run.stderr.strip()[-300:]}",
                file=sys.stderr,
            )
            return 2
        with open(f"{tmp}/run.json", encoding="utf-8") as f:
            context = json.load(f).get("context", {})
        dumps = [d for d in map(parse_dump, sorted(glob.glob(f"{tmp}/cg.*"), key=dump_order)) if d]
    last = {}
    for name, iterations, ir in dumps:  # Google Benchmark calls a benchmark more than once: keep the final call
        last[name] = (iterations, ir)
    entries = []
    for name, (iterations, ir) in last.items():
        per = ir / iterations
        entries.append(
            {
                "name": name,
                "run_name": name,
                "run_type": "iteration",
                "iterations": iterations,
                "real_time": per,
                "cpu_time": per,
                "time_unit": "ns",
                "instructions_per_iteration": per,
                "label": "callgrind: real_time holds instructions per iteration",
            }
        )
        print(f"{name:70s} {per:14.0f} instructions/iteration")
    out = os.path.join(args.out_dir, "instructions.json")
    files.write_json(out, {"context": {**context, "measure": "callgrind instructions"}, "benchmarks": entries})
    print(f"ipcbench: {out}")
    return 0


def dump_order(path):
    """cg.<pid>.<n> in the order callgrind wrote them."""
    parts = os.path.basename(path).split(".")
    return tuple(int(p) if p.isdigit() else 0 for p in parts[1:])


if __name__ == "__main__":
    sys.exit(main())
