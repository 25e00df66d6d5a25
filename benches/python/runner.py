#!/usr/bin/env python3
"""ipcbench's Python runner: the course's own Python mechanisms and workers, measured on the same machine
and written as Google Benchmark JSON entries (names under py/), so compare, plots and the report treat
them like any other family. Standard library only: any python3 runs it. ipcbench launches it itself.

usage: runner.py --plan JSON (--out FILE | --list) [--filter REGEX]

The plan comes from ipcbench's profile (harness/bench/profiles.cpp), the one table of profiles:
{"profile": "default", "ipc_sizes": [64, 4096, 65536], "min_time": 0.1, "pool_tasks": 500,
 "ipc": true, "workers": true, "homework": {"loops": 7000000, "lines": 1700000, "waits": 50, "tasks": 10}}
"""
import argparse
import json
import multiprocessing as mp
import os
import platform
import re
import sys
import time
import traceback

# Run as a script, this file's folder is sys.path[0]: its sibling modules import as they are.
import py_ipc
import py_measure
import py_workers

PLAN_KEYS = {"ipc_sizes", "min_time", "pool_tasks", "ipc", "workers", "homework"}
# How multiprocessing starts a Process, as the C++ spawn benchmark that does the same.
SPAWN_BY_START_METHOD = {"fork": "spawn/fork", "forkserver": "spawn/fork", "spawn": "spawn/fork_exec"}


def cpp_counterpart(name):
    """The C++ benchmark a Python one rests on or mirrors, which the report puts beside it:
    py/ipc/mp_queue/latency/... -> ipc/pipe/latency/..., py/homework/cpu/sequential -> homework/cpu/sequential."""
    words = name.split("/")[1:]
    if words[0] == "ipc":
        return "/".join(["ipc", py_ipc.MECHANISMS[words[1]][2]] + words[2:])
    if words[0] == "spawn":
        return SPAWN_BY_START_METHOD[mp.get_start_method()] if words[1] == "process" else "spawn/pthread"
    if words[0] == "pool":
        return "pool/process/" + ("spawn_per_task" if words[2] == "process_per_task" else words[2])
    return "/".join(words)


def plan(p):
    """[(name, function)] for a plan, in run order."""
    out = []
    if p["ipc"]:
        pin = py_measure.pin_name()
        for mech, (_, kinds, _) in py_ipc.MECHANISMS.items():
            for workload in ("latency", "throughput"):
                for kind in kinds:
                    for size in p["ipc_sizes"]:
                        out.append(
                            (
                                f"py/ipc/{mech}/{workload}/peer:{kind}/pin:{pin}/size:{size}",
                                lambda m=mech, w=workload, k=kind, s=size: py_measure.run_ipc(
                                    m, w, k, s, p["min_time"]
                                ),
                            )
                        )
    if p["workers"]:
        for kind in ("process", "thread"):
            out.append((f"py/spawn/{kind}", lambda k=kind: py_workers.spawn(k, p["min_time"])))
        workers = os.cpu_count() or 2
        for style in ("map", "apply_async", "process_per_task"):
            out.append((f"py/pool/process/{style}", lambda s=style: py_workers.pool(s, p["pool_tasks"], workers)))
    hw = p["homework"]
    scale = py_workers.Scale(loops=hw["loops"], lines=hw["lines"], waits=hw.get("waits", 50))
    tasks = hw["tasks"]
    for task in ("cpu", "io", "wait"):
        for mode in ("sequential", "threads", "processes"):
            suffix = mode if mode == "sequential" else f"{mode}:{tasks}"
            out.append((f"py/homework/{task}/{suffix}", lambda t=task, m=mode: py_workers.homework(t, m, tasks, scale)))
    return out


def entry(name, result=None, error=None):
    e = {
        "name": name,
        "run_name": name,
        "run_type": "iteration",
        "repetitions": 1,
        "repetition_index": 0,
        "threads": 1,
        "iterations": 0,
        "real_time": 0.0,
        "cpu_time": 0.0,
        "time_unit": "ns",
        "cpp_counterpart": cpp_counterpart(name),
    }
    if error is not None:
        e.update({"error_occurred": True, "error_message": f"{name}: {error}"})
    else:
        e.update(result)
        e["cpu_time"] = e["real_time"]  # the runner measures wall time only
        e["time_unit"] = "ns"
    return e


def run_rounds(selected, rounds):
    """Every benchmark once per round, as ipcbench's C++ rounds: its repetitions spread over the run give its
    figures an interval. A benchmark that failed runs no more rounds."""
    entries, failed = [], set()
    for r in range(1, rounds + 1):
        todo = [(n, fn) for n, fn in selected if n not in failed]
        for i, (name, fn) in enumerate(todo, 1):
            where = f"[py r{r} {i}/{len(todo)}]" if rounds > 1 else f"[py {i}/{len(todo)}]"
            try:
                result = fn()
                entries.append(entry(name, result))
                print(f"{where} {name}  {result['real_time'] / 1e3:.1f} us", file=sys.stderr)
            except Exception as e:  # one benchmark's failure is its error entry; the run goes on
                entries.append(entry(name, error=f"{type(e).__name__}: {e}"))
                failed.add(name)
                print(f"{where} {name}  FAILED: {e}", file=sys.stderr)
                if os.environ.get("IPCBENCH_PY_TRACEBACK"):
                    traceback.print_exc()
            if rounds > 1:
                entries[-1].update(ipcbench_round=r, repetition_index=r - 1, repetitions=rounds)
    return entries


def context():
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python_executable": sys.executable,
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "multiprocessing_start_method": mp.get_start_method(),
        "num_cpus": os.cpu_count(),
        "library_build_type": "release",
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", required=True, help="what to run, as JSON (ipcbench passes its profile's)")
    ap.add_argument("--out")
    ap.add_argument("--filter", default="")
    ap.add_argument("--list", action="store_true", help="print the names the plan would run, and exit")
    args = ap.parse_args(argv)
    if not args.list and not args.out:
        print("ipcbench: the Python runner needs --out FILE (or --list)", file=sys.stderr)
        return 2
    try:
        the_plan = json.loads(args.plan)
        missing = PLAN_KEYS - set(the_plan)
    except (ValueError, TypeError):
        the_plan, missing = None, PLAN_KEYS
    if not isinstance(the_plan, dict) or missing:
        print(f"ipcbench: the Python runner's --plan is not a plan (missing {sorted(missing)})", file=sys.stderr)
        return 2
    negate = args.filter.startswith("-")
    pattern = re.compile(args.filter[1:] if negate else args.filter) if args.filter not in ("", "all") else None
    selected = [(n, fn) for n, fn in plan(the_plan) if pattern is None or bool(pattern.search(n)) != negate]
    if args.list:
        print("\n".join(n for n, _ in selected))
        return 0
    entries = run_rounds(selected, the_plan.get("rounds", 1))
    tmp = args.out + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"context": context(), "benchmarks": entries}, f, indent=1)
    os.replace(tmp, args.out)
    return 1 if any(e.get("error_occurred") for e in entries) else 0


if __name__ == "__main__":
    sys.exit(main())
