#!/usr/bin/env python3
"""What a rerun gives: for runs of the same selection, the share of one run's figures that fall inside
another run's 95 % intervals (<figure>_lo, <figure>_hi), over every ordered pair of runs, by figure.

usage: scripts/coverage RUN.json RUN.json [RUN.json ...] [--json OUT.json]
A figure counts where both runs have it and the other run gave it an interval. The intervals are meant to
say what a rerun gives: read a share well below 95 % as the machine drifting between runs more than within
one (the report's caveat says by how much it moved during a run).
"""
import argparse
import itertools
import sys

from .files import write_json
from plots.model import results

FIGURES = ["p50_ns", "p99_ns", "cpu_ns_per_msg", "bytes_per_second", "items_per_second", "ns_per_op", "real_time"]
CAPACITY = "capacity_p99_within_"


def figures_of(record):
    return [f for f in FIGURES if f in record] + [
        k for k in record if k.startswith(CAPACITY) and not k.endswith(("_lo", "_hi"))
    ]


def kind(figure):
    return "capacity" if figure.startswith(CAPACITY) else figure


def coverage(runs):
    """{figure kind: (inside, compared)} over every ordered pair (a, b) of runs: a's figure inside b's
    interval."""
    by_name = [{r["name"]: r for r in results.per_benchmark(run) if "error" not in r} for run in runs]
    out = {}
    for a, b in itertools.permutations(by_name, 2):
        for name in a.keys() & b.keys():
            for figure in figures_of(b[name]):
                lo, hi = b[name].get(figure + "_lo"), b[name].get(figure + "_hi")
                if lo is None or hi is None or a[name].get(figure) is None:
                    continue
                inside, compared = out.get(kind(figure), (0, 0))
                out[kind(figure)] = (inside + (lo <= a[name][figure] <= hi), compared + 1)
    return out


def table(shares):
    lines = ["| figure | inside | compared | share |", "| --- | ---: | ---: | ---: |"]
    total = [0, 0]
    for figure, (inside, compared) in sorted(shares.items()):
        lines.append(f"| {figure} | {inside} | {compared} | {inside / compared:.1%} |")
        total[0] += inside
        total[1] += compared
    if total[1]:
        lines.append(f"| all | {total[0]} | {total[1]} | {total[0] / total[1]:.1%} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--json", help="also write the shares as JSON here")
    args = parser.parse_args(argv)
    if len(args.runs) < 2:
        results.fail("coverage needs two or more results files of the same selection")
    try:
        runs = [results.load(p) for p in args.runs]
    except results.ResultsError as e:
        results.fail(str(e))
    shares = coverage(runs)
    if not shares:
        results.fail(
            "no figure with an interval is in two of these runs: give runs of the same selection, "
            "written by an ipcbench that records intervals"
        )
    print(table(shares))
    if args.json:
        write_json(args.json, {k: {"inside": i, "compared": c} for k, (i, c) in shares.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
