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
import math
import statistics
import sys
import warnings

from plots.model import results

from . import noise

try:
    from scipy.stats import wilcoxon

    from .gbench import report as gbench
except ImportError:  # pragma: no cover - depends on the machine
    print(
        "ipcbench: compare needs Google Benchmark's tools (gbench) and scipy; run scripts/install-deps.sh "
        "(libbenchmark-tools, python3-scipy)",
        file=sys.stderr,
    )
    sys.exit(2)

# (field, lower is better): every metric a summary shows, when both runs have it; judged_fields picks
# those a verdict looks at. Cross-CPU round trips here are multimodal (a 64 B tcp round trip is 27 or
# 75 us for seconds at a time): the median round trip moves with the code, the mean also with the modes
# it drew. cpu_ns_per_msg (both ends' CPU time per message) leaves out the time a wake-up waits for a CPU.
METRICS = [
    ("real_time", True),
    ("p50_ns", True),
    ("p99_ns", True),
    ("cpu_ns_per_msg", True),
    ("bytes_per_second", False),
    ("items_per_second", False),
]
# Metrics that are one measurement in other units: judged each, but one test when alpha is shared out.
GROUP = {"bytes_per_second": "real_time", "items_per_second": "real_time"}
THRESHOLD = 0.05
# Each benchmark's chance of a false alarm (shared out among its metrics, and among the looks of a
# sequential comparison): about 70 benchmarks are judged at once, and a false alarm should come in fewer
# than 1 of 565 judgements, even for a benchmark that stays too noisy to tell until the last look.
ALPHA = 0.0015
UNDECIDED = "too noisy to tell"
COUNTED = "callgrind instructions"  # context.measure of scripts/callgrind's results
VERDICTS = ["regressed", UNDECIDED, "improved", "unchanged"]  # a benchmark takes the first that applies
# Optionally (--round-agreement), a change must also show in this share of the rounds, by at least half
# the threshold. Off by default: the signed-rank test on the pairs already asks that the change be
# consistent, and on 1-repetition pairs the agreement cost more detections than it saved false alarms.
ROUND_AGREEMENT = 0.0
MIN_ROUNDS = 3
WHOLE_RUN_AGREEMENT = 3 / 4  # every benchmark moved together in this share of the rounds: the code did it
MIN_PACE_BENCHMARKS = 3  # a pace read off fewer benchmarks is one benchmark's own noise, or its change


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
    agree = sum(
        gbench.calculate_change(statistics.median(a[r]), statistics.median(b[r])) * direction >= threshold / 2
        for r in paired
    )
    return agree, len(paired)


def medians_by(entries, key, field):
    """{key(entry): median of `field`} over the entries whose key is not None."""
    out = {}
    for b in entries:
        k = key(b)
        if k is not None:
            out.setdefault(k, []).append(b[field])
    return {k: statistics.median(v) for k, v in out.items()}


def paired_logs(lhs, rhs, field):
    """log(candidate median / baseline median) per block both sides ran (scripts/ab's blocks, or an older
    merge's rounds): each pair taken seconds apart, at one pace and usually in one wake-up mode."""

    def medians(entries):
        return medians_by(entries, lambda b: block_of(b) if field in b else None, field)

    a, c = medians(lhs), medians(rhs)
    return [math.log(c[k] / a[k]) for k in sorted(set(a) & set(c), key=str) if a[k] > 0 and c[k] > 0]


def judge_metric(lhs, rhs, field, lower_is_better, threshold, alpha, agreement=ROUND_AGREEMENT):
    """One metric's verdict from its repetitions on each side. Interleaved runs are judged pair by pair:
    this machine's cross-CPU wake-ups switch between modes (a 64 B tcp round trip is 27 or 75 us) for
    seconds at a time, so pooled samples are bimodal while the two builds' samples of one block share the
    mode; the change is the median pair's, the test Wilcoxon's signed-rank test on the pairs."""
    logs = paired_logs(lhs, rhs, field)
    if len(logs) >= MIN_ROUNDS:
        return judge_pairs(logs, lhs, rhs, field, lower_is_better, threshold, alpha, agreement)
    before, after = [b[field] for b in lhs if field in b], [b[field] for b in rhs if field in b]
    med_a, med_b = statistics.median(before), statistics.median(after)
    change = gbench.calculate_change(med_a, med_b)  # relative, positive = larger
    worse = change if lower_is_better else -change
    result = {"before": med_a, "after": med_b, "change": change, "pvalue": None, "rounds": None}
    if abs(worse) < threshold:
        return "unchanged", result
    if min(len(before), len(after)) < gbench.UTEST_MIN_REPETITIONS or len(set(before + after)) == 1:
        return UNDECIDED, result
    result["pvalue"] = gbench.mannwhitneyu(before, after, alternative="two-sided").pvalue
    if result["pvalue"] >= alpha:
        return UNDECIDED, result
    return ("regressed" if worse > 0 else "improved"), result


def judge_pairs(logs, lhs, rhs, field, lower_is_better, threshold, alpha, agreement):
    change = math.exp(statistics.median(logs)) - 1
    worse = change if lower_is_better else -change
    result = {
        "before": statistics.median(b[field] for b in lhs if field in b),
        "after": statistics.median(b[field] for b in rhs if field in b),
        "change": change,
        "pvalue": None,
        "rounds": None,
        "pairs": len(logs),
    }
    if abs(worse) < threshold:
        return "unchanged", result
    with warnings.catch_warnings():
        # Equal medians (p50 comes from histogram buckets) make scipy fall back to the normal
        # approximation, and say so on every call; that is expected here, not news.
        warnings.simplefilter("ignore", UserWarning)
        result["pvalue"] = wilcoxon(logs).pvalue if any(logs) else 1.0
    if result["pvalue"] >= alpha:
        return UNDECIDED, result
    result["rounds"] = round_agreement(lhs, rhs, field, 1 if change > 0 else -1, threshold)
    if result["rounds"] and result["rounds"][0] < agreement * result["rounds"][1]:
        return UNDECIDED, result
    return ("regressed" if worse > 0 else "improved"), result


def block_of(b):
    """Where a repetition ran: its block (scripts/ab), else its round (older merges: a whole run per round),
    else None (a run that was not interleaved)."""
    return b.get("ipcbench_block", b.get("ipcbench_round"))


def run_pace(base, cand):
    """The candidate's run against the baseline's as a whole: the median over benchmarks of the ratio of their
    real_time medians (a code change moves a few benchmarks, the machine's pace all), or None when too few
    benchmarks are in both to tell the two apart."""
    a, c = (medians_by(d["benchmarks"], lambda b: b["name"], "real_time") for d in (base, cand))
    ratios = [c[k] / v for k, v in a.items() if k in c and v > 0]
    return statistics.median(ratios) if len(ratios) >= MIN_PACE_BENCHMARKS else None


def normalised(cand, pace):
    """The candidate as if it had run at the baseline's pace: times divided by `pace`, rates multiplied."""
    return dict(
        cand,
        benchmarks=[
            dict(b, **{f: b[f] / pace if lower else b[f] * pace for f, lower in METRICS if f in b})
            for b in cand["benchmarks"]
        ],
    )


def run_factors(base, cand):
    """{round: the median over benchmarks of that round's candidate/baseline real_time ratio}. A code
    change moves a few benchmarks and barely this; every benchmark moving in most rounds is the code."""

    def in_round(b):
        return (b["ipcbench_round"], b["name"]) if "ipcbench_round" in b else None

    a, c = (medians_by(d["benchmarks"], in_round, "real_time") for d in (base, cand))
    ratios = {}
    for (r, name), value in a.items():
        if (r, name) in c and value > 0:
            ratios.setdefault(r, []).append(c[(r, name)] / value)
    return {r: statistics.median(v) for r, v in sorted(ratios.items())}


def whole_run(base, cand, threshold, agreement=WHOLE_RUN_AGREEMENT):
    """("regressed"|"improved", rounds moved, rounds, median shift) when all benchmarks moved together in
    most rounds, else None."""
    factors = run_factors(base, cand)
    if len(factors) < MIN_ROUNDS:
        return None
    slower = [r for r, g in factors.items() if g - 1 >= threshold]
    faster = [r for r, g in factors.items() if 1 - g >= threshold]
    for verdict, moved in (("regressed", slower), ("improved", faster)):
        if len(moved) >= agreement * len(factors):
            return verdict, len(moved), len(factors), statistics.median(factors.values()) - 1
    return None


def interleaved(data):
    return any("ipcbench_round" in b for b in data["benchmarks"])


def rounds_run(entries):
    return len({b["ipcbench_round"] for b in entries if "ipcbench_round" in b}) or 1


def untagged(data):
    return dict(
        data,
        benchmarks=[
            {k: v for k, v in b.items() if k not in ("ipcbench_round", "ipcbench_block")} for b in data["benchmarks"]
        ],
    )


def judged_fields(lhs, rhs, fields=None):
    """(field, lower is better) to judge: the median round trip where there is one (steadier than the mean in
    real_time), else real_time and its rates; and CPU per message. p99 over a few short repetitions is the
    wake-up modes they drew, so it is shown, not judged."""
    present = [(f, lower) for f, lower in METRICS if any(f in b for b in lhs) and any(f in b for b in rhs)]
    has_p50 = any(f == "p50_ns" for f, _ in present)
    chosen = [
        (f, lower)
        for f, lower in present
        if f == "cpu_ns_per_msg" or f == "p50_ns" or (not has_p50 and f in ("real_time", *GROUP))
    ]
    return [(f, lower) for f, lower in chosen if fields is None or f in fields]


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


def judge_counted(lhs, rhs, field, lower_is_better, threshold):
    """Instruction counts (scripts/callgrind) do not vary with the machine's pace: the change is the verdict."""
    before = statistics.median(b[field] for b in lhs if field in b)
    after = statistics.median(b[field] for b in rhs if field in b)
    change = gbench.calculate_change(before, after)
    worse = change if lower_is_better else -change
    verdict = "unchanged" if abs(worse) < threshold else "regressed" if worse > 0 else "improved"
    return verdict, {"before": before, "after": after, "change": change, "pvalue": None, "rounds": None}


def cap(judged):
    """A verdict on runs that were not interleaved, for a change within what the A/A history allows (or
    with no history): the change is shown, but it cannot convict."""
    verdict, result = judged
    if verdict in ("regressed", "improved"):
        verdict = UNDECIDED
    return verdict, result


def alpha_at_look(alpha, k):
    """The significance level of look k of a sequential comparison: alpha/2, then alpha/4, alpha/8, ...
    so that all looks together, however many, spend at most alpha."""
    return alpha / 2**k


def exit_status(rows, note):
    whole_run_regressed = note["whole_run"] and note["whole_run"][0] == "regressed"
    return 1 if whole_run_regressed or any(r["verdict"] == "regressed" for r in rows) else 0


def machine_warning(base, cand):
    keys = ("host_name", "cpu_model", "num_cpus")
    a, b = base.get("context", {}), cand.get("context", {})
    differ = [k for k in keys if a.get(k) != b.get(k)]
    if not differ:
        return None
    return (
        "WARNING: the two runs come from different machines ("
        + ", ".join(f"{k}: {a.get(k)} vs {b.get(k)}" for k in differ)
        + "); their differences are the machines', not the code's. Compare on one machine (scripts/ab)."
    )


def not_interleaved_warning(note):
    judged = (
        "each change is judged against this machine's A/A history (--noise), after that normalisation"
        if note["noise"]
        else "with no A/A history (--noise, written by `make baseline`) no change can "
        "convict: changes are listed as too noisy to tell"
    )
    return (
        "WARNING: these runs were not interleaved: this machine's pace changes by 10-35 % from one run to "
        "the next, so their differences mix the machine's with the code's. The candidate was normalised by "
        "the median change over all benchmarks; " + judged + ". For a verdict, use scripts/ab."
    )


def fmt_metric(field, m):
    v, r = m
    p = "" if r["pvalue"] is None else f", p={r['pvalue']:.2g}"
    rounds = "" if not r.get("rounds") else f", in {r['rounds'][0]} of {r['rounds'][1]} rounds"
    return f"{field} {r['change'] * 100:+.1f}%{p}{rounds}"


def rounds_lines(note, threshold):
    lines = []
    if note.get("whole_run"):
        verdict, moved, n, shift = note["whole_run"]
        lines += [
            f"**The candidate as a whole {verdict}**: across all benchmarks its runs were {shift * 100:+.1f} % "
            f"(real time) against the baseline's, by {threshold * 100:.0f} % or more in {moved} of {n} rounds.",
            "",
        ]
    if note.get("pace"):
        lines += [
            f"The candidate's run against the baseline's, over all benchmarks: {(note['pace'] - 1) * 100:+.0f} %; "
            "the candidate is judged at the baseline's pace.",
            "",
        ]
    return lines


def summary(rows, only_base, only_cand, warning, threshold, alpha, note=None):
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    lines = ["## ipcbench: performance comparison", ""]
    if warning:
        lines += [f"> **{warning}**", ""]
    if note and not note["interleaved"]:
        lines += [f"> **{not_interleaved_warning(note)}**", ""]
    lines += rounds_lines(note or {}, threshold)
    lines.append(
        f"{len(rows)} benchmarks compared (a change of {threshold * 100:.0f} % or more at p < {alpha}): "
        + ", ".join(f"**{counts[v]} {v}**" for v in VERDICTS)
    )
    lines.append("")
    for verdict in ("regressed", "improved", "too noisy to tell"):
        chosen = [r for r in rows if r["verdict"] == verdict]
        if not chosen:
            continue
        lines += [
            f"### {verdict.capitalize()} ({len(chosen)})",
            "",
            "| benchmark | changes | repetitions | rounds |",
            "|---|---|---|---|",
        ]
        for r in chosen:
            changes = "; ".join(fmt_metric(f, m) for f, m in r["metrics"].items() if m[0] == verdict)
            lines.append(
                f"| `{r['name']}` | {changes} | {r['repetitions'][0]} vs {r['repetitions'][1]} | "
                f"{r.get('decided_after', r.get('rounds_run', 1))} |"
            )
        lines.append("")
    for title, names in (("Only in the baseline", only_base), ("Only in the candidate", only_cand)):
        if names:
            lines += [f"### {title} ({len(names)})", ""] + [f"- `{n}`" for n in names] + [""]
    return "\n".join(lines)


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
