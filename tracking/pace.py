"""The machine's pace between two runs: how far a run moved as a whole (a code change moves a few
benchmarks, the machine's pace all of them), and a candidate put at the baseline's pace."""
import statistics

from .judging import METRICS, MIN_ROUNDS, medians_by

WHOLE_RUN_AGREEMENT = 3 / 4  # every benchmark moved together in this share of the rounds: the code did it
MIN_PACE_BENCHMARKS = 3  # a pace read off fewer benchmarks is one benchmark's own noise, or its change


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
