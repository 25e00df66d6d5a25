#!/usr/bin/env python3
"""Exports a run for github-action-benchmark's custom tools, so a project can chart ipcbench's history there.

usage: scripts/export-github-benchmark RUN.json --out-dir DIR
Writes DIR/smaller-is-better.json (tool: customSmallerIsBetter: real_time, p99_ns) and
DIR/bigger-is-better.json (tool: customBiggerIsBetter: bytes_per_second, items_per_second).
Its Google Benchmark reader keeps only real time; these keep the counters that matter here.
Values are medians over repetitions; `range` is the spread (max - min) when there are several.
"""
import argparse
import os
import statistics
import sys

from . import compare
from . import files

SMALLER = [("real_time", None), ("p99_ns", "ns")]
BIGGER = [("bytes_per_second", "bytes/s"), ("items_per_second", "items/s")]


def entries(run, fields):
    groups = {}
    for b in run["benchmarks"]:
        groups.setdefault(b["name"], []).append(b)
    out = []
    for name, reps in groups.items():
        for field, unit in fields:
            values = [r[field] for r in reps if field in r]
            if not values:
                continue
            entry = {
                "name": name if field == "real_time" else f"{name} ({field})",
                "unit": unit or reps[0].get("time_unit", "ns"),
                "value": statistics.median(values),
            }
            if len(values) > 1:
                entry["range"] = f"{max(values) - min(values):.6g}"
            entry["extra"] = f"{len(values)} repetitions"
            out.append(entry)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run")
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args(argv)
    try:
        run = compare.load(args.run)
    except compare.InputError as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    for name, fields in (("smaller-is-better.json", SMALLER), ("bigger-is-better.json", BIGGER)):
        path = os.path.join(args.out_dir, name)
        files.write_json(path, entries(run, fields))
        print(f"export: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
