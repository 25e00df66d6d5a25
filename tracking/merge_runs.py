#!/usr/bin/env python3
"""Merges several Google Benchmark JSON runs of one build into one file (the first run's context, every
run's measured repetitions), so runs interleaved with another build's compare as one sample each.
Each repetition is tagged with the run it came from (ipcbench_round, 1-based), so scripts/compare
can require a change to show in most rounds, not only in the pooled samples.

usage: python3 -m tracking.merge_runs OUT.json RUN.json [RUN.json ...]
"""
import json
import os
import sys

from plots import results


def merge(paths):
    """The merged run of `paths`, in order (round 1 is the first). Raises results.ResultsError."""
    merged = None
    for number, path in enumerate(paths, 1):
        data = results.load(path)  # the same checks and one-line messages as every other entry point
        iterations = [dict(b, ipcbench_round=number) for b in data.get("benchmarks", [])
                      if b.get("run_type", "iteration") == "iteration"]
        if merged is None:
            merged = {"context": data.get("context", {}), "benchmarks": []}
        merged["benchmarks"] += iterations
    return merged


def main(argv):
    if len(argv) < 3:
        print("usage: python3 -m tracking.merge_runs OUT.json RUN.json [RUN.json ...]", file=sys.stderr)
        return 2
    out, runs = argv[1], argv[2:]
    try:
        merged = merge(runs)
    except results.ResultsError as e:
        print(f"ipcbench: cannot merge: {e}", file=sys.stderr)
        return 2
    tmp = out + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
