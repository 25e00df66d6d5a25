#!/usr/bin/env python3
"""Regression verdicts between two ipcbench runs, on Google Benchmark's own comparison code.

usage: scripts/compare BASELINE.json CANDIDATE.json [--threshold 0.05] [--alpha 0.01] [--summary FILE]

Google Benchmark's tools (gbench, Debian libbenchmark-tools) pair the repetitions of each
benchmark and run the Mann-Whitney U test; this adds what they lack: the counters that matter
here (p50_ns and p99_ns for latency, bytes_per_second and items_per_second for throughput, each with its
direction), one verdict per benchmark from significance *and* effect size, a Markdown summary
for a CI job or a pull request, and an exit code: 0 no regression, 1 regression, 2 bad input.
"""
import argparse
import os
import statistics
import sys

from plots import results

try:
    from .gbench import report as gbench
except ImportError:  # pragma: no cover - depends on the machine
    print("ipcbench: compare needs Google Benchmark's tools (gbench) and scipy; run scripts/install-deps.sh "
          "(libbenchmark-tools, python3-scipy)", file=sys.stderr)
    sys.exit(2)

# (field, lower is better) - every metric a verdict looks at, when both runs have it. p50_ns is there
# because cross-CPU round trips here are multimodal per repetition (e.g. 15, 20, 33 or 58 us for one
# socketpair run): the median round trip moves with the code, the mean also with the modes it drew.
METRICS = [("real_time", True), ("p50_ns", True), ("p99_ns", True), ("bytes_per_second", False),
           ("items_per_second", False)]
VERDICTS = ["regressed", "too noisy to tell", "improved", "unchanged"]  # a benchmark takes the first that applies
# With interleaved rounds (scripts/ab), a change must also show in this share of the rounds: each
# round's candidate median against the same round's baseline median, moved in the same direction
# by at least half the threshold (so rounds that merely jitter do not count for it). A run
# disturbed by a burst on a shared machine moves its own samples together and could otherwise
# sway the pooled test. 3/4 (7 of 9 rounds): at 2/3, the first error-rate trial here had a false
# alarm in 6 of 9 rounds (p = 0.009) while every detected 10 % slowdown showed in 7 or more.
ROUND_AGREEMENT = 3 / 4
MIN_ROUNDS = 3


class InputError(Exception):
    pass


def usable(data):
    """Only the measured repetitions: aggregates would be compared with themselves, failures not at all."""
    data["benchmarks"] = [b for b in data["benchmarks"] if b.get("run_type", "iteration") == "iteration"
                          and not b.get("error_occurred") and "real_time" in b]
    return data


def load(path):
    try:
        return usable(results.load(path))  # the same checks and messages as the plot and report steps
    except results.ResultsError as e:
        raise InputError(str(e)) from e


def by_round(entries, field):
    """{round: [values]} for merged interleaved runs; empty when the entries carry no round."""
    rounds = {}
    for b in entries:
        if field in b and "ipcbench_round" in b:
            rounds.setdefault(b["ipcbench_round"], []).append(b[field])
    return rounds


def round_agreement(lhs, rhs, field, direction, threshold):
    """(rounds whose medians moved in `direction` (+1 larger, -1 smaller) by threshold / 2 or more,
    rounds paired), or None when fewer than MIN_ROUNDS rounds pair up."""
    a, b = by_round(lhs, field), by_round(rhs, field)
    paired = sorted(set(a) & set(b))
    if len(paired) < MIN_ROUNDS:
        return None
    agree = sum(gbench.calculate_change(statistics.median(a[r]), statistics.median(b[r])) * direction
                >= threshold / 2 for r in paired)
    return agree, len(paired)


def judge_metric(lhs, rhs, field, lower_is_better, threshold, alpha, agreement=ROUND_AGREEMENT):
    """One metric's verdict from its repetitions on each side (and their rounds, when merged)."""
    before, after = [b[field] for b in lhs if field in b], [b[field] for b in rhs if field in b]
    med_a, med_b = statistics.median(before), statistics.median(after)
    change = gbench.calculate_change(med_a, med_b)  # relative, positive = larger
    worse = change if lower_is_better else -change
    result = {"before": med_a, "after": med_b, "change": change, "pvalue": None, "rounds": None}
    if abs(worse) < threshold:
        return "unchanged", result
    if min(len(before), len(after)) < gbench.UTEST_MIN_REPETITIONS or len(set(before + after)) == 1:
        return "too noisy to tell", result
    result["pvalue"] = gbench.mannwhitneyu(before, after, alternative="two-sided").pvalue
    if result["pvalue"] >= alpha:
        return "too noisy to tell", result
    result["rounds"] = round_agreement(lhs, rhs, field, 1 if change > 0 else -1, threshold)
    if result["rounds"] and result["rounds"][0] < agreement * result["rounds"][1]:
        return "too noisy to tell", result
    return ("regressed" if worse > 0 else "improved"), result


def run_factors(base, cand):
    """{round: the candidate's run against the baseline's, across all benchmarks}: the median over
    benchmarks of that round's real_time ratio. A code change moves a few benchmarks and barely
    this; the machine changing pace between the two runs of a round moves every benchmark."""
    def medians(data):
        out = {}
        for b in data["benchmarks"]:
            if "ipcbench_round" in b:
                out.setdefault((b["ipcbench_round"], b["name"]), []).append(b["real_time"])
        return {k: statistics.median(v) for k, v in out.items()}
    a, c = medians(base), medians(cand)
    ratios = {}
    for (r, name), value in a.items():
        if (r, name) in c and value > 0:
            ratios.setdefault(r, []).append(c[(r, name)] / value)
    return {r: statistics.median(v) for r, v in sorted(ratios.items())}


def rounds_verdict(base, cand, threshold, agreement):
    """Which rounds to leave out, and whether the candidate's runs as a whole moved.

    A round whose two runs differ across all benchmarks by the threshold or more was disturbed (the
    machine changed pace between them) and is left out. When that happens in most rounds and the
    same way, it is no disturbance but the code: every benchmark moved, and that is the verdict."""
    factors = run_factors(base, cand)
    note = {"factors": factors, "left_out": [], "whole_run": None}
    if len(factors) < MIN_ROUNDS:
        return note
    slower = [r for r, g in factors.items() if g - 1 >= threshold]
    faster = [r for r, g in factors.items() if 1 - g >= threshold]
    for verdict, moved in (("regressed", slower), ("improved", faster)):
        if len(moved) >= agreement * len(factors):
            shift = statistics.median(factors.values()) - 1
            note["whole_run"] = (verdict, len(moved), len(factors), shift)
            return note
    note["left_out"] = sorted(slower + faster)
    return note


def without_rounds(data, rounds):
    return dict(data, benchmarks=[b for b in data["benchmarks"] if b.get("ipcbench_round") not in rounds])


def compare(base, cand, threshold, alpha, agreement=ROUND_AGREEMENT):
    """(rows, only in base, only in candidate, rounds note); see rounds_verdict for the note."""
    note = rounds_verdict(base, cand, threshold, agreement)
    kept_base, kept_cand = without_rounds(base, note["left_out"]), without_rounds(cand, note["left_out"])
    rows = []
    for lhs, rhs in gbench.partition_benchmarks(kept_base, kept_cand):
        name = lhs[0]["name"]
        metrics = {}
        for field, lower in METRICS:
            if any(field in b for b in lhs) and any(field in b for b in rhs):
                metrics[field] = judge_metric(lhs, rhs, field, lower, threshold, alpha, agreement)
        verdicts = {v for v, _ in metrics.values()}
        verdict = next(v for v in VERDICTS if v in verdicts or v == "unchanged")
        rows.append({"name": name, "verdict": verdict, "metrics": metrics,
                     "repetitions": (len(lhs), len(rhs))})
    names_a = {b["name"] for b in base["benchmarks"]}
    names_b = {b["name"] for b in cand["benchmarks"]}
    return rows, sorted(names_a - names_b), sorted(names_b - names_a), note


def machine_warning(base, cand):
    keys = ("host_name", "cpu_model", "num_cpus")
    a, b = base.get("context", {}), cand.get("context", {})
    differ = [k for k in keys if a.get(k) != b.get(k)]
    if not differ:
        return None
    return ("WARNING: the two runs come from different machines (" +
            ", ".join(f"{k}: {a.get(k)} vs {b.get(k)}" for k in differ) +
            "); their differences are the machines', not the code's. Compare on one machine (scripts/ab).")


def fmt_metric(field, m):
    v, r = m
    p = "" if r["pvalue"] is None else f", p={r['pvalue']:.2g}"
    rounds = "" if not r.get("rounds") else f", in {r['rounds'][0]} of {r['rounds'][1]} rounds"
    return f"{field} {r['change'] * 100:+.1f}%{p}{rounds}"


def rounds_lines(note, threshold):
    if note["whole_run"]:
        verdict, moved, n, shift = note["whole_run"]
        return [f"**The candidate as a whole {verdict}**: across all benchmarks its runs were {shift * 100:+.1f} % "
                f"(real time) against the baseline's, by {threshold * 100:.0f} % or more in {moved} of {n} rounds.", ""]
    if note["left_out"]:
        shifts = ", ".join(f"{r} ({(note['factors'][r] - 1) * 100:+.0f} %)" for r in note["left_out"])
        return [f"Rounds left out: {shifts} of {len(note['factors'])}. In each, the two runs differed across all "
                f"benchmarks by {threshold * 100:.0f} % or more: the machine changed pace, not the code.", ""]
    return []


def summary(rows, only_base, only_cand, warning, threshold, alpha, note=None):
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    lines = ["## ipcbench: performance comparison", ""]
    if warning:
        lines += [f"> **{warning}**", ""]
    lines += rounds_lines(note or {"whole_run": None, "left_out": []}, threshold)
    lines.append(f"{len(rows)} benchmarks compared (a change of {threshold * 100:.0f} % or more at p < {alpha}): " +
                 ", ".join(f"**{counts[v]} {v}**" for v in VERDICTS))
    lines.append("")
    for verdict in ("regressed", "improved", "too noisy to tell"):
        chosen = [r for r in rows if r["verdict"] == verdict]
        if not chosen:
            continue
        lines += [f"### {verdict.capitalize()} ({len(chosen)})", "", "| benchmark | changes | repetitions |",
                  "|---|---|---|"]
        for r in chosen:
            changes = "; ".join(fmt_metric(f, m) for f, m in r["metrics"].items() if m[0] == verdict)
            lines.append(f"| `{r['name']}` | {changes} | {r['repetitions'][0]} vs {r['repetitions'][1]} |")
        lines.append("")
    for title, names in (("Only in the baseline", only_base), ("Only in the candidate", only_cand)):
        if names:
            lines += [f"### {title} ({len(names)})", ""] + [f"- `{n}`" for n in names] + [""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline")
    ap.add_argument("candidate")
    ap.add_argument("--threshold", type=float, default=0.05, help="smallest relative change that counts (0.05)")
    ap.add_argument("--alpha", type=float, default=0.01, help="significance level of the U test (0.01)")
    ap.add_argument("--round-agreement", type=float, default=ROUND_AGREEMENT,
                    help="share of interleaved rounds a change must show in (0.75)")
    ap.add_argument("--summary", help="also write the Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)")
    args = ap.parse_args(argv)
    try:
        if not 0 < args.threshold < 1 or not 0 < args.alpha < 1 or not 0 <= args.round_agreement <= 1:
            raise InputError("--threshold and --alpha must be between 0 and 1 and --round-agreement in [0, 1], "
                             "e.g. --threshold=0.05 --alpha=0.01 --round-agreement=0.75")
        base, cand = load(args.baseline), load(args.candidate)
    except InputError as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    rows, only_base, only_cand, note = compare(base, cand, args.threshold, args.alpha, args.round_agreement)
    warning = machine_warning(base, cand)
    if warning:
        print(f"ipcbench: {warning}", file=sys.stderr)
    text = summary(rows, only_base, only_cand, warning, args.threshold, args.alpha, note)
    print(text)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as f:
            f.write(text + "\n")
    whole_run_regressed = note["whole_run"] and note["whole_run"][0] == "regressed"
    return 1 if whole_run_regressed or any(r["verdict"] == "regressed" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
