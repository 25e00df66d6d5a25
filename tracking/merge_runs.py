#!/usr/bin/env python3
"""Merges several Google Benchmark JSON runs of one build into one file (the first run's context, every
run's measured repetitions), so runs interleaved with another build's compare as one sample each.
Each repetition is tagged with the run it came from (ipcbench_round, 1-based), so scripts/compare
can require a change to show in most rounds, not only in the pooled samples.

usage: python3 -m tracking.merge_runs OUT.json RUN.json [RUN.json ...]
"""
import sys

from . import files
from . import interleave


def merge(paths):
    """The merged run of `paths`, in order (round 1 is the first). Raises interleave.RunError."""
    return interleave.merge_records(interleave.Record("", n, n, path) for n, path in enumerate(paths, 1))


def main(argv):
    if len(argv) < 3:
        print("usage: python3 -m tracking.merge_runs OUT.json RUN.json [RUN.json ...]", file=sys.stderr)
        return 2
    out, runs = argv[1], argv[2:]
    try:
        merged = merge(runs)
    except interleave.RunError as e:
        print(f"ipcbench: cannot merge: {e}", file=sys.stderr)
        return 2
    files.write_json(out, merged)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
