#!/usr/bin/env python3
"""Merges several Google Benchmark JSON runs of one build into one file (the first run's context, every
run's measured repetitions), so runs interleaved with another build's compare as one sample each.

usage: merge_runs.py OUT.json RUN.json [RUN.json ...]
"""
import json
import os
import sys


def main(argv):
    if len(argv) < 3:
        print("usage: merge_runs.py OUT.json RUN.json [RUN.json ...]", file=sys.stderr)
        return 2
    out, runs = argv[1], argv[2:]
    merged = None
    for path in runs:
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            print(f"ipcbench: cannot merge '{path}': {e}", file=sys.stderr)
            return 2
        iterations = [b for b in data.get("benchmarks", []) if b.get("run_type", "iteration") == "iteration"]
        if merged is None:
            merged = {"context": data.get("context", {}), "benchmarks": []}
        merged["benchmarks"] += iterations
    tmp = out + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
