"""How sure a figure and a comparison are: each figure's interval (the harness writes it, <field>_lo and
<field>_hi), and whether one mechanism beats another beyond the noise, paired over the run's interleaved
rounds where both ran in them. A comparison within the noise is a tie, and is called one."""
import math
from dataclasses import dataclass

# A winner must beat the runner-up by more than this, at the near end of the ratio's interval: this
# machine's pace moves 10-35 % from one run to the next, and one benchmark's figure by about 10 % between
# two runs of one build (docs/usage.md, "Intervals"), so a smaller lead would not survive a rerun.
RERUN_MARGIN = 0.10


def interval(record, field):
    """(lo, hi) of a record's figure, or None when the run gave it none."""
    lo, hi = record.get(field + "_lo"), record.get(field + "_hi")
    return None if lo is None or hi is None else (lo, hi)


def _median_rank(n):
    """The innermost rank k whose order statistics x(k), x(n+1-k) hold the median with 95 % confidence;
    0 below 6 (then the range is used), as the harness does (harness/app/figure_intervals)."""
    k, tail = 0, 0.0
    for j in range(n):
        tail += math.comb(n, j) / 2**n
        if tail > 0.025:
            break
        k = j + 1
    return k


def _spread(values):
    """(lo, hi) of values: the median's order-statistic interval, or their range below 6 of them."""
    v = sorted(values)
    k = _median_rank(len(v))
    return (v[k - 1], v[-k]) if k else (v[0], v[-1])


@dataclass
class Comparison:
    """How many times better `best` is than `other` on one figure: the ratio (above 1: best is better) and
    its interval; `decided` when the interval clears RERUN_MARGIN, else a tie."""

    ratio: float
    lo: float
    hi: float
    paired: bool

    @property
    def decided(self):
        return self.lo > 1 + RERUN_MARGIN


def _ratio(better, worse, lower_is_better):
    return worse / better if lower_is_better else better / worse


def _unpaired(best, other, field, lower_is_better):
    """(lo, hi) of the ratio from the two figures' intervals (a figure without one counts as exact)."""
    ia, ib = interval(best, field) or (best[field],) * 2, interval(other, field) or (other[field],) * 2
    if lower_is_better:
        return (ib[0] / ia[1] if ia[1] else math.inf), (ib[1] / ia[0] if ia[0] else math.inf)
    return (ia[0] / ib[1] if ib[1] else math.inf), (ia[1] / ib[0] if ib[0] else math.inf)


def compare(best, other, field, lower_is_better=True):
    """A Comparison of two records on `field`, or None when either lacks the figure. Its interval is the wider
    of two views: the ratio paired over the rounds both ran in (two or more; a round's machine moves both
    alike), and the ratio the two figures' own intervals allow. With few rounds the paired view alone would
    crown a winner by chance; the intervals keep it honest."""
    if best.get(field) is None or other.get(field) is None or not best[field] or not other[field]:
        return None
    ratio = _ratio(best[field], other[field], lower_is_better)
    lo, hi = _unpaired(best, other, field, lower_is_better)
    a, b = best.get("rounds", {}), other.get("rounds", {})
    common = [r for r in set(a) & set(b) if a[r].get(field) and b[r].get(field)]
    paired = len(common) >= 2
    if paired:
        plo, phi = _spread([_ratio(a[r][field], b[r][field], lower_is_better) for r in common])
        lo, hi = min(lo, plo), max(hi, phi)
    return Comparison(ratio, min(lo, ratio), max(hi, ratio), paired)


def tied_with(ranked, field, lower_is_better=True):
    """How many of `ranked` (best first) the first cannot be told apart from: 1 when it beats the second."""
    n = 1
    while n < len(ranked):
        c = compare(ranked[0], ranked[n], field, lower_is_better)
        if c is None or c.decided:
            break
        n += 1
    return n


# The machine's own floors, measured in every round: how far they move between rounds is how far the
# machine's pace moved during the run, which no benchmark's interval can be narrower than.
PACE_FIGURES = [("floor/syscall", "real_time"), ("floor/cacheline/peer:process/pin:cross", "p50_ns")]


def pace_drift(records):
    """(name, largest/smallest - 1) of the floor that moved most between the run's rounds, or None for a run
    without rounds (or without floors)."""
    moved = []
    for name, field in PACE_FIGURES:
        r = next((x for x in records if x["name"] == name and "error" not in x), None)
        values = [e[field] for e in (r or {}).get("rounds", {}).values() if e.get(field)]
        if len(values) >= 2:
            moved.append((name, max(values) / min(values) - 1))
    return max(moved, key=lambda m: m[1]) if moved else None
