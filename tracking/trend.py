#!/usr/bin/env python3
"""History of tracked benchmarks over runs: one small chart per benchmark, runs in time order (labelled by
date and git sha), the headline metric relative to the first run, flagged points in red.

usage: scripts/trend RUN.json [RUN.json ...] [--out trend.svg]
A point is flagged when scripts/compare's verdict against the previous run is "regressed".
Benchmarks present in fewer than two runs are left out.
"""
import argparse
import math
import os
import statistics
import sys

from . import compare
from . import judging

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def headline(reps):
    """(field, lower is better) a benchmark is tracked by: its rate when it has one, else its time."""
    for field, lower in (("bytes_per_second", False), ("items_per_second", False)):
        if all(field in r for r in reps):
            return field, lower
    return "real_time", True


def label(run):
    ctx = run.get("context", {})
    return f"{ctx.get('date', '?')[:16]}\n{ctx.get('ipcbench_git_sha', '?')[:7]}"


def series(runs, threshold, alpha):
    """{name: [(run index, value relative to the first, flagged)]} for benchmarks in 2+ runs."""
    by_name = {}
    for i, run in enumerate(runs):
        groups = {}
        for b in run["benchmarks"]:
            groups.setdefault(b["name"], []).append(b)
        for name, reps in groups.items():
            by_name.setdefault(name, []).append((i, reps))
    out = {}
    for name, points in by_name.items():
        if len(points) < 2:
            continue
        field, lower = headline(points[0][1])
        first = statistics.median(r[field] for r in points[0][1] if field in r)
        line, prev = [], None
        for i, reps in points:
            values = [r[field] for r in reps if field in r]
            flagged = (
                prev is not None and judging.judge_metric(prev, reps, field, lower, threshold, alpha)[0] == "regressed"
            )
            line.append((i, statistics.median(values) / first if first else math.nan, flagged))
            prev = reps
        out[name] = (field, line)
    return out


def draw(runs, lines, out):
    names = sorted(lines)
    cols = 4
    rows = max(1, math.ceil(len(names) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.4 * rows), squeeze=False)
    for ax, name in zip([a for row in axes for a in row], names):
        field, line = lines[name]
        xs, ys = [i for i, _, _ in line], [v for _, v, _ in line]
        ax.plot(xs, ys, "-o", color="black", markersize=3)
        bad = [(i, v) for i, v, f in line if f]
        if bad:
            ax.plot(*zip(*bad), "o", color="#D55E00", markersize=8, label="regressed")
            ax.legend(fontsize=6)
        ax.axhline(1, color="grey", linewidth=0.5)
        ax.set_title(f"{name}\n({field}, × first run)", fontsize=6)
        ax.set_xticks(range(len(runs)))
        ax.set_xticklabels([label(r) for r in runs], fontsize=5, rotation=90)
        ax.tick_params(axis="y", labelsize=6)
    for ax in [a for row in axes for a in row][len(names) :]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(out + ".partial.svg")
    plt.close(fig)
    os.replace(out + ".partial.svg", out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--out", default="trend.svg")
    ap.add_argument("--threshold", type=float, default=0.05)
    ap.add_argument("--alpha", type=float, default=0.01)
    args = ap.parse_args(argv)
    try:
        runs = [compare.load(p) for p in args.runs]
    except compare.InputError as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    runs.sort(key=lambda r: r.get("context", {}).get("date", ""))
    lines = series(runs, args.threshold, args.alpha)
    if not lines:
        print("ipcbench: no benchmark appears in two or more of these runs; nothing to draw", file=sys.stderr)
        return 2
    draw(runs, lines, args.out)
    flagged = sum(f for _, line in lines.values() for _, _, f in line)
    print(f"trend: {args.out} ({len(lines)} benchmarks over {len(runs)} runs, {flagged} flagged points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
