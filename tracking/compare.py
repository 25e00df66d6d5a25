#!/usr/bin/env python3
"""Regression verdicts between two ipcbench runs.

usage: scripts/compare BASELINE.json CANDIDATE.json [--threshold 0.05] [--alpha 0.0015] [--noise HISTORY]
                       [--record-noise HISTORY] [--summary FILE]

Interleaved runs (scripts/ab) are judged pair by pair (Wilcoxon's signed-rank test on each block's
candidate/baseline ratio); runs that were not interleaved are put at one pace and judged with Google
Benchmark's own comparison code (gbench, Debian libbenchmark-tools: the Mann-Whitney U test) against
this machine's A/A history; instruction counts by their change. Verdicts look at the counters that
matter here, each in its direction, and need significance *and* effect size; the output is a Markdown
summary and an exit code: 0 no regression, 1 regression, 2 bad input.
"""
import argparse
import sys

from plots.model import results

from . import noise
from .judging import (
    ALPHA,
    COUNTED,
    GROUP,
    ROUND_AGREEMENT,
    THRESHOLD,
    VERDICTS,
    cap,
    judge_counted,
    judge_metric,
    judged_fields,
)
from .judging import gbench
from .pace import interleaved, normalised, rounds_run, run_pace, untagged, whole_run
from .summary import exit_status, machine_warning, not_interleaved_warning, summary


class InputError(Exception):
    pass


def usable(data):
    """Only the measured repetitions: aggregates would be compared with themselves, failures not at all."""
    data["benchmarks"] = [
        b
        for b in data["benchmarks"]
        if b.get("run_type", "iteration") == "iteration" and not b.get("error_occurred") and "real_time" in b
    ]
    return data


def load(path):
    try:
        return usable(results.load(path))  # the same checks and messages as the plot and report steps
    except results.ResultsError as e:
        raise InputError(str(e)) from e


def compare(base, cand, threshold, alpha, agreement=ROUND_AGREEMENT, noise=None, fields=None):
    """(rows, only in base, only in candidate, note). The note holds whether the runs were interleaved, the pace
    the candidate was normalised by (runs that were not) and the whole-run verdict (see whole_run). `alpha`
    is each benchmark's, shared out among the metrics judged.

    Runs that were not interleaved (two stored files) differ by the machine's pace as much as by the code,
    and their repetitions say nothing about that: they are put at one pace (run_pace), and a change is
    judged only against `noise` ({name: {field: smallest change that counts}}, from an A/A history,
    tracking.noise); without one it is at most too noisy to tell. `fields` limits the metrics judged (to
    measure what each is worth, error-rates)."""
    together = interleaved(base) and interleaved(cand)
    counted = all(d.get("context", {}).get("measure") == COUNTED for d in (base, cand))
    pace = None
    if not together and not counted:
        base, cand = untagged(base), untagged(cand)
        pace = run_pace(base, cand)
    note = {
        "pace": pace,
        "interleaved": together or counted,
        "noise": noise is not None,
        "whole_run": whole_run(base, cand, threshold),
    }
    judged_cand = normalised(cand, pace) if pace else cand
    rows = []
    for lhs, rhs in gbench.partition_benchmarks(base, judged_cand):
        name = lhs[0]["name"]
        judged = judged_fields(lhs, rhs, fields)
        groups = len({GROUP.get(f, f) for f, _ in judged}) or 1
        metrics = {}
        for field, lower in judged:
            if counted:
                metrics[field] = judge_counted(lhs, rhs, field, lower, threshold)
                continue
            limit = threshold if together else (noise or {}).get(name, {}).get(field)
            metrics[field] = judge_metric(lhs, rhs, field, lower, threshold, alpha / groups, agreement)
            if limit is None or abs(metrics[field][1]["change"]) < limit:
                metrics[field] = cap(metrics[field])
        verdicts = {v for v, _ in metrics.values()}
        verdict = next(v for v in VERDICTS if v in verdicts or v == "unchanged")
        rows.append(
            {
                "name": name,
                "verdict": verdict,
                "metrics": metrics,
                "repetitions": (len(lhs), len(rhs)),
                "rounds_run": rounds_run(rhs),
            }
        )
    names_a = {b["name"] for b in base["benchmarks"]}
    names_b = {b["name"] for b in cand["benchmarks"]}
    return rows, sorted(names_a - names_b), sorted(names_b - names_a), note


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline")
    ap.add_argument("candidate")
    ap.add_argument("--threshold", type=float, default=THRESHOLD, help="smallest relative change that counts (0.05)")
    ap.add_argument(
        "--alpha",
        type=float,
        default=ALPHA,
        help="each benchmark's significance level, shared among its metrics (0.0015)",
    )
    ap.add_argument(
        "--round-agreement",
        type=float,
        default=ROUND_AGREEMENT,
        help="share of interleaved rounds a change must also show in (0: off)",
    )
    ap.add_argument(
        "--noise",
        help="this machine's A/A history (make baseline writes results/baselines/"
        "noise/<machine>.json): lets runs that were not interleaved convict",
    )
    ap.add_argument(
        "--record-noise",
        metavar="HISTORY",
        help="the two runs are of one build (A/A): append how far each benchmark moved to this A/A "
        "history (make baseline does)",
    )
    ap.add_argument("--summary", help="also write the Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)")
    args = ap.parse_args(argv)
    try:
        if not 0 < args.threshold < 1 or not 0 < args.alpha < 1 or not 0 <= args.round_agreement <= 1:
            raise InputError(
                "--threshold and --alpha must be between 0 and 1 and --round-agreement in [0, 1], "
                "e.g. --threshold=0.05 --alpha=0.01 --round-agreement=0.75"
            )
        base, cand = load(args.baseline), load(args.candidate)
        history = None
        if args.noise:
            pairs = noise.load(args.noise, missing_ok=False)
            history = noise.thresholds(pairs)
            if len(pairs) < noise.MIN_PAIRS:
                print(
                    f"ipcbench: the A/A history {args.noise} has {len(pairs)} pairs; it judges from "
                    f"{noise.MIN_PAIRS} on (each make baseline adds three)",
                    file=sys.stderr,
                )
    except (InputError, noise.HistoryError) as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    rows, only_base, only_cand, note = compare(
        base, cand, args.threshold, args.alpha, args.round_agreement, noise=history or None
    )
    warning = machine_warning(base, cand)
    if warning:
        print(f"ipcbench: {warning}", file=sys.stderr)
    if not note["interleaved"]:
        print(f"ipcbench: {not_interleaved_warning(note)}", file=sys.stderr)
    if args.record_noise:
        pairs = noise.record(
            args.record_noise,
            {r["name"]: {f: round(m[1]["change"], 4) for f, m in r["metrics"].items()} for r in rows},
            cand.get("context", {}).get("date", ""),
        )
        print(f"ipcbench: A/A history {args.record_noise}: {len(pairs)} pairs", file=sys.stderr)
        return 0
    text = summary(rows, only_base, only_cand, warning, args.threshold, args.alpha, note)
    print(text)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as f:
            f.write(text + "\n")
    return exit_status(rows, note)


if __name__ == "__main__":
    sys.exit(main())
