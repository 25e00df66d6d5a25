#!/usr/bin/env python3
"""What counting system calls and migrations costs what it counts: one build's benchmarks run
interleaved in blocks with --kernel-events=off and --kernel-events=inline (tracking.interleave), and
each benchmark's time per message compared, round by round.

usage: scripts/counting-overhead [--filter REGEX] [--rounds N] [--out DIR] [--binary PATH]
Prints, per benchmark, the median over rounds of (time with counting) / (time without) and the range
of those ratios; then the median and the largest over all. ipcbench counts in a pass of its own
(--kernel-events=pass, the default) because this is above 2 % for the mechanisms that make system
calls.
"""
import argparse
import os
import re
import statistics
import sys
import time

from . import interleave
from .files import write_json
from plots.model import results

DEFAULT_FILTER = r"^ipc/[^/]+/(latency|throughput)/peer:process/pin:cross/size:64$"
SIDES = {"off": "--kernel-events=off", "inline": "--kernel-events=inline"}


def time_per_message(record):
    """The figure a slowdown raises: the round trip's median, else the time per message streamed."""
    if record.get("p50_ns"):
        return record["p50_ns"]
    if record.get("items_per_second"):
        return 1e9 / record["items_per_second"]
    return None


def per_round(merged):
    """{benchmark: {round: time per message}} of one side's runs."""
    out = {}
    for b in merged["benchmarks"]:
        if b.get("error_occurred"):
            continue
        value = time_per_message(b)
        if value:
            out.setdefault(b.get("run_name", b["name"]), {})[b["ipcbench_round"]] = value
    return out


def ratios(off, inline):
    """{benchmark: [inline / off, per round both ran]}."""
    out = {}
    for name in sorted(off.keys() & inline.keys()):
        rounds = off[name].keys() & inline[name].keys()
        out[name] = [inline[name][r] / off[name][r] for r in sorted(rounds)]
    return {k: v for k, v in out.items() if v}


def table(by_name):
    lines = ["| benchmark | counting / not, median | range over rounds |", "| --- | ---: | ---: |"]
    for name, rs in by_name.items():
        lines.append(f"| {name} | {statistics.median(rs):.3f} | {min(rs):.3f}-{max(rs):.3f} |")
    medians = [statistics.median(rs) for rs in by_name.values()]
    if medians:
        lines.append(f"| all {len(medians)} | {statistics.median(medians):.3f} | largest {max(medians):.3f} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filter", default=DEFAULT_FILTER, help="benchmarks to compare (a regex)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--binary", default="build/ipcbench")
    parser.add_argument("--out", default=None, help="where the runs go (results/overhead/<time>)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        results.fail("--rounds needs 1 or more")
    if not os.access(args.binary, os.X_OK):
        results.fail(f"no ipcbench at {args.binary}; run 'make build' first")
    try:
        pattern = re.compile(args.filter)
    except re.error as e:
        results.fail(f"--filter is not a regex: {e}")
    out = args.out or os.path.join("results", "overhead", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    os.makedirs(out, exist_ok=True)
    sides = [interleave.Side(label, args.binary, ["--no-python", flag]) for label, flag in SIDES.items()]
    try:
        names = [n for n in interleave.list_benchmarks(sides[0]) if pattern.search(n)]
        if not names:
            results.fail(f"--filter='{args.filter}' selects no benchmark")
        schedule = interleave.Schedule(sides, 1, out, progress=lambda t: print(f"ipcbench: {t}", file=sys.stderr))
        block_list = interleave.blocks(names)
        for _ in range(args.rounds):
            schedule.round(block_list)
        by_name = ratios(per_round(schedule.merged("off")), per_round(schedule.merged("inline")))
    except interleave.RunError as e:
        results.fail(str(e))
    write_json(os.path.join(out, "overhead.json"), by_name)
    print(table(by_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
