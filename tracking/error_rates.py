#!/usr/bin/env python3
"""Measures the regression tracker's error rates on this machine: false alarms (A/A) and detection of
a known slowdown (A/B), with the same build, interleaved runs and scripts/compare's verdicts.

usage: scripts/error-rates [--trials 5] [--rounds 9] [--repetitions 3] [--percent 10] [--inject REGEX]

Each trial runs, per round and in rotated order, the ci profile three times: A, A' (the same build
again) and B (--inject-slowdown=REGEX:PERCENT). A vs A' counts false alarms; A vs B counts which
injected benchmarks were flagged as regressed, and which others were flagged although untouched.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
from . import compare
from . import merge_runs

DEFAULT_INJECT = r"^ipc/(pipe|tcp|socketpair|shm_ring\.futex|sysv_mq)/latency/.*size:64$"
ORDERS = (("A", "A'", "B"), ("A'", "B", "A"), ("B", "A", "A'"))


def run_side(args, path, side):
    cmd = [args.bin, "--profile=ci", f"--benchmark_repetitions={args.repetitions}", f"--out={path}"]
    if side == "B":
        cmd.append(f"--inject-slowdown={args.inject}:{args.percent:g}")
    with open(path[:-5] + ".log", "w", encoding="utf-8") as log:
        rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False).returncode
    if rc not in (0, 1):  # 1: some benchmark failed, the run is still written
        raise SystemExit(f"ipcbench: the {side} run failed (exit {rc}); see {path[:-5]}.log")


def merged(paths):
    return compare.usable(merge_runs.merge(paths))  # rounds tagged, as scripts/ab merges them


def flagged(rows):
    return [(r["name"], r["verdict"]) for r in rows if r["verdict"] in ("regressed", "improved")]


def trial(args, t):
    paths = {"A": [], "A'": [], "B": []}
    for r in range(args.rounds):
        for side in ORDERS[r % 3]:
            path = os.path.join(args.dir, f"t{t}-{side.replace(chr(39), 'p')}-{r + 1}.json")
            if not args.analyze_only:
                print(f"ipcbench: trial {t}/{args.trials}, round {r + 1}/{args.rounds}: {side}", file=sys.stderr)
                run_side(args, path, side)
            paths[side].append(path)
    a, a2, b = (merged(paths[s]) for s in ("A", "A'", "B"))
    aa, _, _, aa_note = compare.compare(a, a2, args.threshold, args.alpha, args.round_agreement)
    ab, _, _, ab_note = compare.compare(a, b, args.threshold, args.alpha, args.round_agreement)
    injected = re.compile(args.inject)
    targets = sorted(r["name"] for r in ab if injected.search(r["name"]))
    return {
        "trial": t,
        "compared": len(aa),
        "aa_flags": flagged(aa) + ([("(whole run)", aa_note["whole_run"][0])] if aa_note["whole_run"] else []),
        "left_out": (aa_note["left_out"], ab_note["left_out"]),
        "targets": targets,
        "detected": sorted(r["name"] for r in ab if r["name"] in targets and r["verdict"] == "regressed"),
        "ab_other_flags": [f for f in flagged(ab) if f[0] not in targets] +
                          ([("(whole run)", ab_note["whole_run"][0])] if ab_note["whole_run"] else []),
        "changes": {r["name"]: {f: round(m[1]["change"] * 100, 1) for f, m in r["metrics"].items()}
                    for r in ab if r["name"] in targets},
    }


def report(trials, args):
    n = len(trials)
    lines = ["## ipcbench: tracker error rates on this machine", "",
             f"{n} trials, each {args.rounds} rounds of A, A' and B (the ci profile, {args.repetitions} "
             f"repetitions per run, so {args.rounds * args.repetitions} per side); B injects "
             f"{args.percent:g} % into `{args.inject}`; verdicts at {args.threshold * 100:g} %, p < {args.alpha}, "
             f"in {args.round_agreement:.0%} of rounds.", "",
             "| trial | A/A falsely flagged | A/B injected detected | A/B others flagged | rounds left out (A/A; A/B) |",
             "|---|---|---|---|---|"]
    for t in trials:
        aa = ", ".join(f"`{name}` {v}" for name, v in t["aa_flags"]) or "none"
        other = ", ".join(f"`{name}` {v}" for name, v in t["ab_other_flags"]) or "none"
        lines.append(f"| {t['trial']} | {len(t['aa_flags'])} of {t['compared']} ({aa}) | "
                     f"{len(t['detected'])} of {len(t['targets'])} | {len(t['ab_other_flags'])} ({other}) | "
                     f"{len(t['left_out'][0])}; {len(t['left_out'][1])} |")
    lines += ["", "| injected benchmark | detected | median change of p50_ns per trial |", "|---|---|---|"]
    for name in trials[0]["targets"] if trials else []:
        hits = sum(name in t["detected"] for t in trials)
        changes = ", ".join(f"{t['changes'][name].get('p50_ns', float('nan')):+.1f}%" for t in trials)
        lines.append(f"| `{name}` | {hits} of {n} | {changes} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--percent", type=float, default=10)
    ap.add_argument("--inject", default=DEFAULT_INJECT, help="benchmarks B slows down (extended regex)")
    ap.add_argument("--threshold", type=float, default=0.05)
    ap.add_argument("--alpha", type=float, default=0.01)
    ap.add_argument("--round-agreement", type=float, default=compare.ROUND_AGREEMENT)
    ap.add_argument("--analyze-only", action="store_true",
                    help="judge the runs already in --dir again (e.g. with another --round-agreement)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "ipcbench"))
    ap.add_argument("--dir", default=os.path.join(
        ROOT, "results", "error-rates", datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")))
    args = ap.parse_args(argv)
    if args.trials < 1 or args.rounds < 1 or args.repetitions < 1 or not 0 < args.percent <= 1000:
        print("ipcbench: --trials, --rounds and --repetitions must be at least 1 and --percent in (0, 1000]",
              file=sys.stderr)
        return 2
    if not os.access(args.bin, os.X_OK):
        print(f"ipcbench: no ipcbench at {args.bin}; run `make build` or pass --bin", file=sys.stderr)
        return 2
    if args.analyze_only and not os.path.isdir(args.dir):
        print(f"ipcbench: --analyze-only needs the --dir of an earlier run; '{args.dir}' does not exist", file=sys.stderr)
        return 2
    os.makedirs(args.dir, exist_ok=True)
    trials = []
    for t in range(1, args.trials + 1):
        if args.analyze_only and not os.path.exists(os.path.join(args.dir, f"t{t}-B-{args.rounds}.json")):
            break  # an unfinished trial
        trials.append(trial(args, t))
        if args.analyze_only:
            continue
        with open(os.path.join(args.dir, "trials.json"), "w", encoding="utf-8") as f:
            json.dump(trials, f, indent=1)
        print(f"ipcbench: trial {t}: A/A {len(trials[-1]['aa_flags'])} flagged, A/B "
              f"{len(trials[-1]['detected'])}/{len(trials[-1]['targets'])} detected", file=sys.stderr)
    text = report(trials, args)
    with open(os.path.join(args.dir, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
