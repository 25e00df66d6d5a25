"""Zero-copy hand-offs against copying, computed: each zero-copy mechanism and the plain one it is set against
(from the run's facts: `zero_copy`, `counterpart`), and the size from which it overtakes."""
from ..model import query


def pairs(facts):
    """[(zero-copy mechanism, counterpart)] from the facts, sorted."""
    return sorted((m, f["counterpart"]) for m, f in facts.items() if f.get("zero_copy") and f.get("counterpart"))


def series(records, mech, pin, peer="process"):
    """{size: bytes per second} of a mechanism's throughput."""
    return {
        int(r["params"]["size"]): r["bytes_per_second"]
        for r in query.ipc(records, "throughput", peer=peer, pin=pin)
        if query.mechanism(r) == mech and r.get("bytes_per_second")
    }


def crossover(records, mech, counterpart, pin):
    """The smallest size at which `mech` moves more bytes per second than `counterpart` there and at every
    larger size both ran; None when it never does (or they share no size)."""
    a, b = series(records, mech, pin), series(records, counterpart, pin)
    sizes = sorted(set(a) & set(b))
    if not sizes:
        return None
    found = None
    for size in reversed(sizes):
        if a[size] <= b[size]:
            break
        found = size
    return found


def comparisons(records, facts):
    """Per pair: the crossover, and the ratio at the largest size both ran (process peers, preferred pin)."""
    pin = query.preferred_pin(records, "throughput")
    out = []
    for mech, counterpart in pairs(facts):
        a, b = series(records, mech, pin), series(records, counterpart, pin)
        common = sorted(set(a) & set(b))
        if not common:
            continue
        top = common[-1]
        out.append(
            {
                "mechanism": mech,
                "counterpart": counterpart,
                "pin": pin,
                "crossover": crossover(records, mech, counterpart, pin),
                "largest": top,
                "ratio": a[top] / b[top],
            }
        )
    return out
