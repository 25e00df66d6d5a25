"""Latency under load, computed: each mechanism's load points at the run's most common peer, pin and size,
the highest rate each sustains within a p99 budget, the data-path groups the charts draw, and the round trips
under load (load_rtt/*) over loopback and between hosts."""
from ..model import query

PATH_ORDER = ["shared_memory", "kernel_copy", "network_stack"]
DEFAULT_BUDGETS_NS = [10_000, 100_000, 1_000_000]


def points(records):
    """{mechanism: [record, ...]} of the most common (peer, pin, size) of the run's load points, sorted by
    achieved rate; records without an achieved rate (failed, skipped) are left out."""
    rows = [r for r in query.family(records, "load") if r.get("achieved_rate")]
    if not rows:
        return {}, None
    keys = [(r["params"].get("peer"), r["params"].get("pin"), r["params"].get("size")) for r in rows]
    common = max(set(keys), key=lambda k: (keys.count(k), k == ("process", "cross", "64")))
    by = {}
    for r, k in zip(rows, keys):
        if k == common:
            by.setdefault(query.mechanism(r), []).append(r)
    return {m: sorted(rs, key=lambda r: r["achieved_rate"]) for m, rs in sorted(by.items())}, common


def groups(by_mechanism, facts):
    """[(data path, [mechanism, ...])] in PATH_ORDER; a mechanism without facts goes under 'unknown'."""
    out = {}
    for mech in by_mechanism:
        out.setdefault(facts.get(mech, {}).get("data_path", "unknown"), []).append(mech)
    order = PATH_ORDER + sorted(set(out) - set(PATH_ORDER))
    return [(path, out[path]) for path in order if path in out]


def sustained(rows, budget_ns):
    """The highest achieved rate among a mechanism's points whose p99 is within the budget and whose offered
    rate was achieved; None when no point qualifies."""
    good = [
        r["achieved_rate"]
        for r in rows
        if r.get("p99_ns", float("inf")) <= budget_ns and not r.get("rate_not_achieved")
    ]
    return max(good) if good else None


def budget_rows(by_mechanism, budget_ns):
    """[(mechanism, rate)] for one budget, highest first; mechanisms that never met it are left out."""
    rows = [(m, sustained(rs, budget_ns)) for m, rs in by_mechanism.items()]
    return sorted([(m, v) for m, v in rows if v], key=lambda mv: -mv[1])


def rtt_points(records):
    """{(mechanism, peer): [record, ...]} of the run's load_rtt points at their most common (pin, size), sorted by
    achieved rate; peer is 'process' (loopback) or 'remote' (against ipcbench serve)."""
    rows = [r for r in query.family(records, "load_rtt") if r.get("achieved_rate")]
    if not rows:
        return {}, None
    keys = [(r["params"].get("pin"), r["params"].get("size")) for r in rows]
    common = max(set(keys), key=lambda k: (keys.count(k), k == ("cross", "64")))
    by = {}
    for r, k in zip(rows, keys):
        if k == common:
            by.setdefault((query.mechanism(r), r["params"].get("peer")), []).append(r)
    return {key: sorted(rs, key=lambda r: r["achieved_rate"]) for key, rs in sorted(by.items())}, common
