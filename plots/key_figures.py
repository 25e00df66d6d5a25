"""The figures listed under each chart of the report: each benchmark behind the chart with its
headline value, as text. One function per report section (plots/sections.py names them)."""
from .analysis import load
from .analysis import zero_copy as zero_copy_analysis
from .model import query
from . import texts


def _load_row(r, L):
    kept = f" ({L['rate_not_kept']})" if r.get("rate_not_achieved") else ""
    return (
        r["name"],
        f"p50 {texts.percentile(L, r, 'p50_ns')}, p99 {texts.percentile(L, r, 'p99_ns')}, "
        f"{texts.per_second(r.get('achieved_rate'))}{kept}",
    )


def latency(records, facts, L):
    _, rows = query.latency_ranking(records)
    return [
        (r["name"], f"p50 {texts.percentile(L, r, 'p50_ns')}, p99 {texts.percentile(L, r, 'p99_ns')}") for r in rows
    ]


def throughput(records, facts, L):
    pin = query.preferred_pin(records, "throughput")
    rows = [
        r for r in query.ipc(records, "throughput", peer="process", pin=pin, size=65536) if r.get("bytes_per_second")
    ]
    rows.sort(key=lambda r: -r["bytes_per_second"])
    field = "bytes_per_second"
    return [
        (r["name"], texts.with_interval(texts.rate, (r[field], r.get(field + "_lo"), r.get(field + "_hi"))))
        for r in rows
    ]


def zero_copy(records, facts, L):
    pin = query.preferred_pin(records, "throughput")
    names = {m for pair in zero_copy_analysis.pairs(facts) for m in pair}
    return [
        (r["name"], texts.rate(r["bytes_per_second"]))
        for r in query.ipc(records, "throughput", peer="process", pin=pin)
        if query.mechanism(r) in names and r.get("bytes_per_second") and int(r["params"]["size"]) >= 65536
    ]


def fan(family):
    def rows(records, facts, L):
        return [
            (r["name"], texts.per_second(r.get("items_per_second"))) for r in query.ipc(records, family, peer="process")
        ]

    return rows


def spawn(records, facts, L):
    return [(r["name"], texts.ns(query.value_ns(r))) for r in query.family(records, "spawn")]


def pool(records, facts, L):
    return [(r["name"], texts.per_second(r.get("items_per_second"))) for r in query.family(records, "pool")]


def costs(records, facts, L):
    return [
        (r["name"], texts.ns(r["ns_per_op"]))
        for r in query.family(records, "ctx") + query.family(records, "sync")
        if "ns_per_op" in r
    ]


def memory(records, facts, L):
    return [
        (r["name"], f"PSS {texts.kib(r['pss_bytes_per_worker'])}, RSS {texts.kib(r['rss_bytes_per_worker'])}")
        for r in query.family(records, "memory")
        if "pss_bytes_per_worker" in r
    ]


def load_budget(records, facts, L):
    """Each mechanism's capacity within each budget, with its interval ("—": never within it)."""
    by_budget = {b: {query.mechanism(r): r for r in load.capacities(records, b)} for b in load.DEFAULT_BUDGETS_NS}
    mechs = sorted({m for caps in by_budget.values() for m in caps} | set(load.points(records)[0]))
    cell = lambda r: texts.with_interval(texts.per_second, (r["capacity"], r.get("capacity_lo"), r.get("capacity_hi")))
    return [
        (m, ", ".join(f"p99 ≤ {texts.ns(b)}: {cell(caps[m]) if m in caps else '—'}" for b, caps in by_budget.items()))
        for m in mechs
    ]


def load_knee(records, facts, L):
    rows = [r for r in query.family(records, "load") if r.get("rate_not_achieved") is not None]
    return [_load_row(r, L) for r in rows][:40]


def load_rtt_knee(records, facts, L):
    rows = [r for r in query.family(records, "load_rtt") if r.get("rate_not_achieved") is not None]
    return [_load_row(r, L) for r in rows][:60]


def scaling(records, facts, L):
    return [
        (r["name"], f"{r['speedup']:.2f}x")
        for r in query.family(records, "cpu") + query.family(records, "io")
        if "speedup" in r
    ]


def none(records, facts, L):
    return []
