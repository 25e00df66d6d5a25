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
import statistics
import sys

from plots import results

from . import interleave
from . import noise

try:
    from .gbench import report as gbench
except ImportError:  # pragma: no cover - depends on the machine
    print("ipcbench: compare needs Google Benchmark's tools (gbench) and scipy; run scripts/install-deps.sh "
          "(libbenchmark-tools, python3-scipy)", file=sys.stderr)
    sys.exit(2)

# (field, lower is better) - every metric a verdict looks at, when both runs have it. p50_ns is there
# because cross-CPU round trips here are multimodal per repetition (e.g. 15, 20, 33 or 58 us for one
# socketpair run): the median round trip moves with the code, the mean also with the modes it drew.
# cpu_ns_per_msg (both ends' CPU time per message) is there because it does not count the time a
# wake-up waits for a CPU, the noisiest part of a round trip here.
METRICS = [("real_time", True), ("p50_ns", True), ("p99_ns", True), ("cpu_ns_per_msg", True),
           ("bytes_per_second", False), ("items_per_second", False)]
THRESHOLD = 0.05
ALPHA = 0.01
UNDECIDED = "too noisy to tell"
VERDICTS = ["regressed", UNDECIDED, "improved", "unchanged"]  # a benchmark takes the first that applies
# With interleaved rounds (scripts/ab), a change must also show in this share of the rounds: each
# round's candidate median against the same round's baseline median, moved in the same direction
# by at least half the threshold (so rounds that merely jitter do not count for it). A run
# disturbed by a burst on a shared machine moves its own samples together and could otherwise
# sway the pooled test. 3/4 (7 of 9 rounds): at 2/3, the first error-rate trial here had a false
# alarm in 6 of 9 rounds (p = 0.009) while every detected 10 % slowdown showed in 7 or more.
ROUND_AGREEMENT = 3 / 4
MIN_ROUNDS = 3
MIN_PACE_BENCHMARKS = 3  # a pace read off fewer benchmarks is one benchmark's own noise, or its change


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


def block_of(b):
    """Where a repetition ran: its block (scripts/ab), else its round (older merges: a whole run per round),
    else None (a run that was not interleaved)."""
    return b.get("ipcbench_block", b.get("ipcbench_round"))


def paces(base, cand, source="floors"):
    """{block: the candidate's pace against the baseline's there}: the median over benchmarks of the ratio
    of their real_time medians in that block. source "floors": over the reference benchmarks only (they
    measure the machine, not the code); "all": over every benchmark the block ran (a code change moves a
    few of them, the machine's pace all)."""
    def medians(data):
        out = {}
        for b in data["benchmarks"]:
            if source == "all" or interleave.REFERENCE.search(b["name"]):
                out.setdefault((block_of(b), b["name"]), []).append(b["real_time"])
        return {k: statistics.median(v) for k, v in out.items()}
    a, c = medians(base), medians(cand)
    ratios = {}
    for key, value in a.items():
        if key in c and value > 0:
            ratios.setdefault(key[0], []).append(c[key] / value)
    return {block: statistics.median(v) for block, v in ratios.items() if len(v) >= MIN_PACE_BENCHMARKS}


def normalised(cand, pace):
    """The candidate as if each block had run at the baseline's pace: times divided by the block's pace,
    rates multiplied by it. The references themselves stay as measured."""
    out = []
    for b in cand["benchmarks"]:
        factor = pace.get(block_of(b))
        if factor is None or interleave.REFERENCE.search(b["name"]):
            out.append(b)
            continue
        out.append(dict(b, **{f: b[f] / factor if lower else b[f] * factor for f, lower in METRICS if f in b}))
    return dict(cand, benchmarks=out)


def run_factors(base, cand):
    """{round: the median over benchmarks of that round's candidate/baseline real_time ratio}. A code
    change moves a few benchmarks and barely this; every benchmark moving in most rounds is the code."""
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


def whole_run(base, cand, threshold, agreement):
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
    return dict(data, benchmarks=[{k: v for k, v in b.items() if k not in ("ipcbench_round", "ipcbench_block")}
                                  for b in data["benchmarks"]])


def compare(base, cand, threshold, alpha, agreement=ROUND_AGREEMENT, noise=None, pace_from="floors", fields=None):
    """(rows, only in base, only in candidate, note). The note holds the paces the candidate was normalised
    by, whether the runs were interleaved, and the whole-run verdict (see whole_run).

    Runs that were not interleaved (two stored files) differ by the machine's pace as much as by the code,
    and their repetitions say nothing about that: their pace is read off every benchmark, and a change is
    judged only against `noise` ({name: {field: smallest change that counts}}, from an A/A history,
    tracking.noise); without one it is at most too noisy to tell. `pace_from` (see paces, or None) and
    `fields` (which metrics to judge) are there to measure what each part of the rule is worth (error-rates)."""
    together = interleaved(base) and interleaved(cand)
    if not together:
        base, cand, pace_from = untagged(base), untagged(cand), "all"
    pace = paces(base, cand, pace_from) if pace_from else {}
    note = {"paces": pace, "pace_from": pace_from, "interleaved": together, "noise": noise is not None,
            "whole_run": whole_run(base, cand, threshold, agreement)}
    judged = normalised(cand, pace)
    rows = []
    for lhs, rhs in gbench.partition_benchmarks(base, judged):
        name = lhs[0]["name"]
        metrics = {}
        for field, lower in METRICS:
            if fields is not None and field not in fields:
                continue
            if any(field in b for b in lhs) and any(field in b for b in rhs):
                limit = threshold if together else (noise or {}).get(name, {}).get(field)
                metrics[field] = judge_metric(lhs, rhs, field, lower, threshold, alpha, agreement)
                if limit is None or abs(metrics[field][1]["change"]) < limit:
                    metrics[field] = cap(metrics[field])
        verdicts = {v for v, _ in metrics.values()}
        verdict = next(v for v in VERDICTS if v in verdicts or v == "unchanged")
        rows.append({"name": name, "verdict": verdict, "metrics": metrics,
                     "repetitions": (len(lhs), len(rhs)), "rounds_run": rounds_run(rhs)})
    names_a = {b["name"] for b in base["benchmarks"]}
    names_b = {b["name"] for b in cand["benchmarks"]}
    return rows, sorted(names_a - names_b), sorted(names_b - names_a), note


def cap(judged):
    """A verdict on runs that were not interleaved, for a change within what the A/A history allows (or
    with no history): the change is shown, but it cannot convict."""
    verdict, result = judged
    if verdict in ("regressed", "improved"):
        verdict = UNDECIDED
    return verdict, result


def alpha_at_look(alpha, k):
    """The significance level of look k of a sequential comparison: alpha, then alpha/2, alpha/4, ...
    so that all looks together stay below twice alpha."""
    return alpha / 2 ** (k - 1)


def exit_status(rows, note):
    whole_run_regressed = note["whole_run"] and note["whole_run"][0] == "regressed"
    return 1 if whole_run_regressed or any(r["verdict"] == "regressed" for r in rows) else 0


def machine_warning(base, cand):
    keys = ("host_name", "cpu_model", "num_cpus")
    a, b = base.get("context", {}), cand.get("context", {})
    differ = [k for k in keys if a.get(k) != b.get(k)]
    if not differ:
        return None
    return ("WARNING: the two runs come from different machines (" +
            ", ".join(f"{k}: {a.get(k)} vs {b.get(k)}" for k in differ) +
            "); their differences are the machines', not the code's. Compare on one machine (scripts/ab).")


def not_interleaved_warning(note):
    judged = ("each change is judged against this machine's A/A history (--noise), after that normalisation"
              if note["noise"] else "with no A/A history (--noise, written by `make baseline`) no change can "
              "convict: changes are listed as too noisy to tell")
    return ("WARNING: these runs were not interleaved: this machine's pace changes by 10-35 % from one run to "
            "the next, so their differences mix the machine's with the code's. The candidate was normalised by "
            "the median change over all benchmarks; " + judged + ". For a verdict, use scripts/ab.")


def fmt_metric(field, m):
    v, r = m
    p = "" if r["pvalue"] is None else f", p={r['pvalue']:.2g}"
    rounds = "" if not r.get("rounds") else f", in {r['rounds'][0]} of {r['rounds'][1]} rounds"
    return f"{field} {r['change'] * 100:+.1f}%{p}{rounds}"


def rounds_lines(note, threshold):
    lines = []
    if note.get("whole_run"):
        verdict, moved, n, shift = note["whole_run"]
        lines += [f"**The candidate as a whole {verdict}**: across all benchmarks its runs were {shift * 100:+.1f} % "
                  f"(real time) against the baseline's, by {threshold * 100:.0f} % or more in {moved} of {n} rounds.",
                  ""]
    values = sorted(note.get("paces", {}).values())
    source = "the floors" if note.get("pace_from") == "floors" else "all benchmarks"
    if len(values) == 1:
        lines += [f"The machine's pace, read off {source} (candidate against baseline): {(values[0] - 1) * 100:+.0f} "
                  "%; the candidate is judged at the baseline's pace.", ""]
    elif values:
        lines += [f"The machine's pace, read off {source} in each of {len(values)} blocks (candidate against "
                  f"baseline): {(values[0] - 1) * 100:+.0f} % to {(values[-1] - 1) * 100:+.0f} % "
                  f"(median {(statistics.median(values) - 1) * 100:+.0f} %); each block's candidate is judged "
                  "at the baseline's pace.", ""]
    return lines


def summary(rows, only_base, only_cand, warning, threshold, alpha, note=None):
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    lines = ["## ipcbench: performance comparison", ""]
    if warning:
        lines += [f"> **{warning}**", ""]
    if note and not note["interleaved"]:
        lines += [f"> **{not_interleaved_warning(note)}**", ""]
    lines += rounds_lines(note or {}, threshold)
    lines.append(f"{len(rows)} benchmarks compared (a change of {threshold * 100:.0f} % or more at p < {alpha}): " +
                 ", ".join(f"**{counts[v]} {v}**" for v in VERDICTS))
    lines.append("")
    for verdict in ("regressed", "improved", "too noisy to tell"):
        chosen = [r for r in rows if r["verdict"] == verdict]
        if not chosen:
            continue
        lines += [f"### {verdict.capitalize()} ({len(chosen)})", "", "| benchmark | changes | repetitions | rounds |",
                  "|---|---|---|---|"]
        for r in chosen:
            changes = "; ".join(fmt_metric(f, m) for f, m in r["metrics"].items() if m[0] == verdict)
            lines.append(f"| `{r['name']}` | {changes} | {r['repetitions'][0]} vs {r['repetitions'][1]} | "
                         f"{r.get('decided_after', r.get('rounds_run', 1))} |")
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
    ap.add_argument("--noise", help="this machine's A/A history (make baseline writes results/baselines/"
                    "<machine>.noise.json): lets runs that were not interleaved convict")
    ap.add_argument("--record-noise", metavar="HISTORY",
                    help="the two runs are of one build (A/A): append how far each benchmark moved to this A/A "
                         "history (make baseline does)")
    ap.add_argument("--summary", help="also write the Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)")
    args = ap.parse_args(argv)
    try:
        if not 0 < args.threshold < 1 or not 0 < args.alpha < 1 or not 0 <= args.round_agreement <= 1:
            raise InputError("--threshold and --alpha must be between 0 and 1 and --round-agreement in [0, 1], "
                             "e.g. --threshold=0.05 --alpha=0.01 --round-agreement=0.75")
        base, cand = load(args.baseline), load(args.candidate)
        history = noise.thresholds(noise.load(args.noise, missing_ok=False)) if args.noise else None
    except (InputError, noise.HistoryError) as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    rows, only_base, only_cand, note = compare(base, cand, args.threshold, args.alpha, args.round_agreement,
                                               noise=history or None)
    warning = machine_warning(base, cand)
    if warning:
        print(f"ipcbench: {warning}", file=sys.stderr)
    if not note["interleaved"]:
        print(f"ipcbench: {not_interleaved_warning(note)}", file=sys.stderr)
    if args.record_noise:
        pairs = noise.record(args.record_noise, {r["name"]: {f: round(m[1]["change"], 4) for f, m in r["metrics"].items()}
                                                 for r in rows}, cand.get("context", {}).get("date", ""))
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
