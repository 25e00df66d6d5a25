"""Verdicts on one metric of one benchmark: interleaved pairs by Wilcoxon's signed-rank test, runs
that were not interleaved by Google Benchmark's Mann-Whitney U test (gbench), instruction counts by
their change; each needs significance and an effect beyond the threshold."""
import math
import statistics
import sys
import warnings

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
