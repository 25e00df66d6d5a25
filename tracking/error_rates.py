#!/usr/bin/env python3
"""Measures the regression tracker's error rates on this machine: false alarms (A/A) and detection of
a known slowdown (A/B), with the same build, the same interleaving and the same verdicts as scripts/ab.

usage: scripts/error-rates [--trials 5] [--rounds 15] [--repetitions 1] [--percent 10] [--inject REGEX]
                           [--budget MINUTES] [--analyze-only --dir DIR]

Each trial runs the ci profile's benchmarks in blocks, each block three times per round: A, A' (the
same build again) and B (--inject-slowdown=REGEX:PERCENT), in each of their six orders in turn; then
more rounds of the benchmarks still too noisy to tell, while the trial's budget lasts (scripts/ab's,
times 3/2 for the third side). A vs A' counts false alarms; A vs B which injected benchmarks were
flagged as regressed, and which others were flagged although untouched.
"""
import argparse
import datetime
import json
import os
import re
import sys

from . import ab
from . import compare
from . import judging
from . import files
from . import interleave
from . import sequential

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INJECT = r"^ipc/(pipe|tcp|socketpair|shm_ring\.futex|sysv_mq)/latency/.*size:64$"
COMPARISONS = {"aa": ("A", "Ap"), "ab": ("A", "B")}


def flagged(rows, note):
    out = [(r["name"], r["verdict"]) for r in rows if r["verdict"] in ("regressed", "improved")]
    return out + ([("(whole run)", note["whole_run"][0])] if note["whole_run"] else [])


def schedule_for(args, trial_dir):
    if args.analyze_only:
        return interleave.Replay(trial_dir)
    common = ["--profile=ci"]
    sides = [
        interleave.Side("A", args.bin, common),
        interleave.Side("Ap", args.bin, common),
        interleave.Side("B", args.bin, common + [f"--inject-slowdown={args.inject}:{args.percent:g}"]),
    ]
    return interleave.Schedule(
        sides,
        args.repetitions,
        trial_dir,
        args.budget * 60,
        lambda text: print(f"ipcbench: {os.path.basename(trial_dir)}: {text}", file=sys.stderr),
    )


def trial(args, t, names, rule):
    trial_dir = os.path.join(args.dir, f"t{t}")
    os.makedirs(trial_dir, exist_ok=True)
    schedule = schedule_for(args, trial_dir)
    seq = sequential.Sequential(schedule, COMPARISONS, rule)
    found = seq.run(names, args.rounds)
    (aa, _, _, aa_note), (ab, _, _, ab_note) = found["aa"], found["ab"]
    injected = re.compile(args.inject)
    targets = sorted(r["name"] for r in ab if injected.search(r["name"]))
    return {
        "trial": t,
        "compared": len(aa),
        "others_compared": len(ab) - len(targets),
        "rounds": schedule.rounds_run,
        "looks": seq.looks,
        "aa_flags": flagged(aa, aa_note),
        "targets": targets,
        "detected": sorted(r["name"] for r in ab if r["name"] in targets and r["verdict"] == "regressed"),
        "decided_after": {r["name"]: r.get("decided_after") for r in ab if r["name"] in targets},
        "ab_other_flags": [f for f in flagged(ab, ab_note) if f[0] not in targets],
        "undecided": (
            sum(r["verdict"] == sequential.UNDECIDED for r in aa),
            sum(r["verdict"] == sequential.UNDECIDED for r in ab),
        ),
        "changes": {
            r["name"]: {f: round(m[1]["change"] * 100, 1) for f, m in r["metrics"].items()}
            for r in ab
            if r["name"] in targets
        },
    }


def report(trials, args):
    n = len(trials)
    judged = sum(t["compared"] for t in trials)
    others = sum(t.get("others_compared", 0) for t in trials)
    other_flags = sum(len(t["ab_other_flags"]) for t in trials)
    false_alarms = sum(len(t["aa_flags"]) for t in trials)
    detected = sum(len(t["detected"]) for t in trials)
    targets = sum(len(t["targets"]) for t in trials)
    lines = [
        "## ipcbench: tracker error rates on this machine",
        "",
        f"{n} trials, each {args.rounds} rounds of A, A' and B interleaved in blocks (the ci profile, "
        f"{args.repetitions} repetitions per run), then {sequential.EXTRA_ROUNDS} more rounds of the undecided "
        f"benchmarks at a time within {args.budget:g} minutes; B injects {args.percent:g} % into "
        f"`{args.inject}`; verdicts at {args.threshold * 100:g} %, p < {args.alpha} per benchmark over all "
        f"looks (half of it at the first, a quarter at the second, ...), "
        f"metrics {args.metrics or 'p50_ns or real_time, and cpu_ns_per_msg'}.",
        "",
        f"**False alarms: {false_alarms} in {judged} judgements (A/A). Injected slowdowns caught: {detected} of "
        f"{targets}.** Untouched benchmarks of A/B flagged: {other_flags} in {others}.",
        "",
        "| trial | rounds | A/A falsely flagged | A/B injected detected | A/B others flagged | "
        "left too noisy (A/A; A/B) |",
        "|---|---|---|---|---|---|",
    ]
    for t in trials:
        aa = ", ".join(f"`{name}` {v}" for name, v in t["aa_flags"]) or "none"
        other = ", ".join(f"`{name}` {v}" for name, v in t["ab_other_flags"]) or "none"
        lines.append(
            f"| {t['trial']} | {t['rounds']} | {len(t['aa_flags'])} of {t['compared']} ({aa}) | "
            f"{len(t['detected'])} of {len(t['targets'])} | {len(t['ab_other_flags'])} ({other}) | "
            f"{t['undecided'][0]}; {t['undecided'][1]} |"
        )
    lines += [
        "",
        "| injected benchmark | detected | median change of p50_ns per trial (rounds to decide) |",
        "|---|---|---|",
    ]
    for name in trials[0]["targets"] if trials else []:
        hits = sum(name in t["detected"] for t in trials)
        changes = ", ".join(
            f"{t['changes'][name].get('p50_ns', float('nan')):+.1f}% " f"({t['decided_after'].get(name) or '-'})"
            for t in trials
        )
        lines.append(f"| `{name}` | {hits} of {n} | {changes} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=ab.ROUNDS)
    ap.add_argument("--repetitions", type=int, default=ab.REPETITIONS)
    ap.add_argument("--percent", type=float, default=10)
    ap.add_argument("--inject", default=DEFAULT_INJECT, help="benchmarks B slows down (extended regex)")
    ap.add_argument(
        "--budget",
        type=float,
        default=ab.BUDGET_MINUTES * 3 / 2,
        help="minutes per trial (scripts/ab's, times 3/2 for the third side)",
    )
    ap.add_argument("--threshold", type=float, default=judging.THRESHOLD)
    ap.add_argument("--alpha", type=float, default=judging.ALPHA)
    ap.add_argument("--round-agreement", type=float, default=judging.ROUND_AGREEMENT)
    ap.add_argument("--metrics", help="judge only these fields, e.g. p50_ns,cpu_ns_per_msg (default: all)")
    ap.add_argument(
        "--analyze-only",
        action="store_true",
        help="judge the runs already in --dir again (e.g. with another --round-agreement)",
    )
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "ipcbench"))
    ap.add_argument(
        "--dir",
        default=os.path.join(ROOT, "results", "error-rates", datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")),
    )
    args = ap.parse_args(argv)
    if args.trials < 1 or args.rounds < 1 or args.repetitions < 1 or not 0 < args.percent <= 1000 or args.budget <= 0:
        print(
            "ipcbench: --trials, --rounds and --repetitions must be at least 1, --percent in (0, 1000] and "
            "--budget above 0",
            file=sys.stderr,
        )
        return 2
    if args.analyze_only and not os.path.isdir(args.dir):
        print(
            f"ipcbench: --analyze-only needs the --dir of an earlier run; '{args.dir}' does not exist", file=sys.stderr
        )
        return 2
    if not args.analyze_only and not os.access(args.bin, os.X_OK):
        print(f"ipcbench: no ipcbench at {args.bin}; run `make build` or pass --bin", file=sys.stderr)
        return 2
    rule = sequential.Rule(
        args.threshold, args.alpha, args.round_agreement, args.metrics.split(",") if args.metrics else None
    )
    os.makedirs(args.dir, exist_ok=True)
    trials = []
    try:
        names = (
            None if args.analyze_only else interleave.list_benchmarks(interleave.Side("A", args.bin, ["--profile=ci"]))
        )
        for t in range(1, args.trials + 1):
            if args.analyze_only:
                if not os.path.exists(os.path.join(args.dir, f"t{t}", "names.json")):
                    break  # an unfinished trial
                with open(os.path.join(args.dir, f"t{t}", "names.json"), encoding="utf-8") as f:
                    names = json.load(f)
            trials.append(trial(args, t, names, rule))
            if args.analyze_only:
                continue
            files.write_json(os.path.join(args.dir, f"t{t}", "names.json"), names)
            files.write_json(os.path.join(args.dir, "trials.json"), trials)
            print(
                f"ipcbench: trial {t}: A/A {len(trials[-1]['aa_flags'])} flagged, A/B "
                f"{len(trials[-1]['detected'])}/{len(trials[-1]['targets'])} detected",
                file=sys.stderr,
            )
    except (interleave.RunError, compare.InputError) as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    if not trials:
        print(
            f"ipcbench: no finished trial in '{args.dir}' (each has a t<N>/names.json); give the --dir of an "
            "earlier scripts/error-rates run",
            file=sys.stderr,
        )
        return 2
    text = report(trials, args)
    files.write_text(os.path.join(args.dir, "summary.md"), text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
