#!/usr/bin/env python3
"""A stand-in for build/ipcbench in the tracker's tests: lists a few benchmarks and writes a results file
for those its --filter selects, with repetitions drawn around fixed centres (seeded by the output path).
--inject-slowdown=REGEX:PERCENT slows matching benchmarks; FAKE_IPCBENCH_NOISY names benchmarks whose
repetitions spread widely; FAKE_IPCBENCH_LOG gets one line per run (its filter); FAKE_IPCBENCH_FAIL makes a
run exit with that status; FAKE_IPCBENCH_ARGV gets each run's whole command line."""
import json
import os
import random
import re
import sys

CENTRES = {
    "floor/cacheline/peer:process/pin:cross": 0.3,
    "floor/syscall": 0.1,
    "floor/memcpy/size:64": 0.02,
    "ipc/pipe/latency/peer:process/pin:cross/size:64": 20.0,
    "ipc/tcp/latency/peer:process/pin:cross/size:64": 30.0,
    "ipc/socketpair/latency/peer:process/pin:cross/size:64": 25.0,
    "spawn/fork": 1500.0,
}


def main(argv):
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in argv[1:])
    if os.environ.get("FAKE_IPCBENCH_ARGV"):
        with open(os.environ["FAKE_IPCBENCH_ARGV"], "a", encoding="utf-8") as f:
            f.write(" ".join(argv[1:]) + "\n")
    if os.environ.get("FAKE_IPCBENCH_FAIL"):
        print("ipcbench: failing as asked", file=sys.stderr)
        return int(os.environ["FAKE_IPCBENCH_FAIL"])
    if "list" in opts:
        print("\n".join(sorted(CENTRES)))
        return 0
    chosen = [n for n in sorted(CENTRES) if re.search(opts.get("filter", ""), n)]
    if not chosen:
        print(f"ipcbench: --filter='{opts.get('filter')}' selects no benchmark", file=sys.stderr)
        return 2
    slow_re, slow = (opts["inject-slowdown"].rsplit(":", 1) + [0])[:2] if "inject-slowdown" in opts else ("$^", 0)
    noisy = set(filter(None, os.environ.get("FAKE_IPCBENCH_NOISY", "").split(",")))
    rng = random.Random(os.path.basename(opts["out"]))
    reps = int(opts.get("benchmark_repetitions", 3))
    entries = []
    for name in chosen:
        centre = CENTRES[name] * (1 + float(slow) / 100 if re.search(slow_re, name) else 1)
        spread = 0.5 if name in noisy else 0.01
        for i in range(reps):
            value = centre * (1 + rng.uniform(-spread, spread))
            entries.append(
                {
                    "name": name,
                    "run_name": name,
                    "run_type": "iteration",
                    "repetitions": reps,
                    "repetition_index": i,
                    "iterations": 100,
                    "time_unit": "us",
                    "real_time": value,
                    "cpu_time": value,
                    "p50_ns": value * 1000,
                }
            )
    with open(opts["out"], "w", encoding="utf-8") as f:
        json.dump({"context": {"host_name": "fake", "num_cpus": 2}, "benchmarks": entries}, f)
    if os.environ.get("FAKE_IPCBENCH_LOG"):
        with open(os.environ["FAKE_IPCBENCH_LOG"], "a", encoding="utf-8") as f:
            f.write(opts.get("filter", "") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
