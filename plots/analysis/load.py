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


def sustaining_point(rows, budget_ns):
    """The point `sustained` reads its rate from (the fastest within the budget), or None."""
    good = [r for r in rows if r.get("p99_ns", float("inf")) <= budget_ns and not r.get("rate_not_achieved")]
    return max(good, key=lambda r: r["achieved_rate"]) if good else None


def _searches(records):
    """{mechanism: record} of the capacity searches (load/.../search:p99) at their most common (peer, pin,
    size), and that key."""
    rows = [r for r in query.family(records, "load") if r["params"].get("search") == "p99"]
    if not rows:
        return {}, None
    keys = [(r["params"].get("peer"), r["params"].get("pin"), r["params"].get("size")) for r in rows]
    common = max(set(keys), key=lambda k: (keys.count(k), k == ("process", "cross", "64")))
    return {query.mechanism(r): r for r, k in zip(rows, keys) if k == common}, common


def _as_capacity(r, field):
    """A record whose figure `capacity` (with its interval and its rounds) is r's `field`."""
    out = {k: r[k] for k in ("name", "words", "params") if k in r}
    out["capacity"] = r[field]
    for end in ("_lo", "_hi"):
        if field + end in r:
            out["capacity" + end] = r[field + end]
    out["rounds"] = {n: {"capacity": e[field]} for n, e in r.get("rounds", {}).items() if e.get(field)}
    out["probes"] = r.get("probes")
    return out


def capacities(records, budget_ns):
    """Each mechanism's capacity within a p99 budget, highest first, as records with the figure `capacity`:
    from the run's search (search:p99: the highest rate whose p99 met the budget there and at every lower rate
    probed, to within about 10 %) where it searched, else read off the grid (the fastest point within it).
    Mechanisms that never met the budget are left out."""
    searched, _ = _searches(records)
    field = f"capacity_p99_within_{budget_ns}ns"
    out = {m: _as_capacity(r, field) for m, r in searched.items() if r.get(field)}
    if not searched:
        by, _ = points(records)
        for m, rs in by.items():
            point = sustaining_point(rs, budget_ns)
            if point:
                out[m] = _as_capacity(point, "achieved_rate")
    return sorted(out.values(), key=lambda r: -r["capacity"])


def capacity_key(records):
    """(peer, pin, size) the capacities are at: the searches' if the run searched, else the grid's."""
    searched, common = _searches(records)
    return common if searched else points(records)[1]


def budget_rows(records, budget_ns):
    """[(mechanism, rate)] for one budget, highest first; mechanisms that never met it are left out."""
    return [(query.mechanism(r), r["capacity"]) for r in capacities(records, budget_ns)]


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
