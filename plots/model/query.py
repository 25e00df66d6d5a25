"""Picking records out of a run by family and parameters: the queries every chart and finding shares."""


# The latency floor every round trip is read against: a cache line between two CPUs.
FLOOR_CACHELINE = "floor/cacheline/peer:process/pin:cross"


def family(records, *words):
    """Records whose leading name words are `words`, without failed ones."""
    n = len(words)
    return [r for r in records if "error" not in r and tuple(r["words"][:n]) == words]


def one(records, name):
    """The record with exactly this name, or None (also when it failed)."""
    for r in records:
        if r["name"] == name and "error" not in r:
            return r
    return None


def throughput_floor(records):
    """(family name, {size: bytes/s}): the cross-CPU stream (floor/stream) where the run measured it,
    else a single-core copy (floor/memcpy, results written before floor/stream existed)."""
    for name in ("stream", "memcpy"):
        sizes = {
            int(r["params"]["size"]): r["bytes_per_second"]
            for r in family(records, "floor", name)
            if r.get("bytes_per_second")
        }
        if sizes:
            return f"floor/{name}", sizes
    return None, {}


def ipc(records, workload, peer=None, pin=None, size=None):
    out = []
    for r in family(records, "ipc"):
        p = r["params"]
        if len(r["words"]) < 3 or r["words"][2] != workload:
            continue
        if peer and p.get("peer") != peer or pin and p.get("pin") != pin or size and int(p.get("size", -1)) != size:
            continue
        out.append(r)
    return out


def preferred_pin(records, workload):
    """cross when present (the machine's real cross-CPU cost), else whatever pin the run has."""
    pins = {r["params"].get("pin") for r in ipc(records, workload)}
    for pin in ("cross", "same", "none"):
        if pin in pins:
            return pin
    return None


def latency_ranking(records, size=64):
    """(pin, the process-peer latency records at `size` that have a p50, fastest first) at the
    preferred pin: what the CDF chart, the conclusions and the report's table all rank."""
    pin = preferred_pin(records, "latency")
    rows = [r for r in ipc(records, "latency", peer="process", pin=pin, size=size) if r.get("p50_ns")]
    return pin, sorted(rows, key=lambda r: r["p50_ns"])


def mechanism(r):
    return r["words"][1]


def value_ns(r):
    """real_time in ns, whatever unit the record was written in."""
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[r.get("time_unit", "ns")]
    return r["real_time"] * scale
