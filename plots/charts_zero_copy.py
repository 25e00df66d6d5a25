"""Zero-copy hand-offs against copying: throughput against message size for each zero-copy mechanism
and the plain mechanism it is set against (both read from the run's facts: `zero_copy`, `counterpart`),
and the size from which each overtakes its counterpart."""
from . import query
from . import style


def pairs(facts):
    """[(zero-copy mechanism, counterpart)] from the facts, sorted."""
    return sorted((m, f["counterpart"]) for m, f in facts.items() if f.get("zero_copy") and f.get("counterpart"))


def _series(records, mech, pin, peer="process"):
    """{size: bytes per second} of a mechanism's throughput."""
    return {int(r["params"]["size"]): r["bytes_per_second"]
            for r in query.ipc(records, "throughput", peer=peer, pin=pin)
            if query.mechanism(r) == mech and r.get("bytes_per_second")}


def crossover(records, mech, counterpart, pin):
    """The smallest size at which `mech` moves more bytes per second than `counterpart` there and at every
    larger size both ran; None when it never does (or they share no size)."""
    a, b = _series(records, mech, pin), _series(records, counterpart, pin)
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
        a, b = _series(records, mech, pin), _series(records, counterpart, pin)
        common = sorted(set(a) & set(b))
        if not common:
            continue
        top = common[-1]
        out.append({"mechanism": mech, "counterpart": counterpart, "pin": pin,
                    "crossover": crossover(records, mech, counterpart, pin),
                    "largest": top, "ratio": a[top] / b[top]})
    return out


def zero_copy(records, facts):
    pin = query.preferred_pin(records, "throughput")
    drawn = [(m, c) for m, c in pairs(facts) if _series(records, m, pin)]
    if not drawn:
        return None
    fig, axes = style.figure(width=7.0)
    ax = axes[0][0]
    sizes = set()
    for (mech, counterpart), (color, marker, _) in zip(drawn, style.series_styles()):
        for name, line, label in ((mech, "-", mech), (counterpart, ":", f"{counterpart} (copies; for {mech})")):
            series = _series(records, name, pin)
            xs = sorted(series)
            sizes |= set(xs)
            ax.plot(xs, [series[s] / 1e9 for s in xs], line, marker=marker, markersize=3, color=color, label=label)
    ax.set_xscale("log", base=2)
    ticks = sorted(sizes)
    ax.set_xticks(ticks)
    ax.set_xticklabels([style.size_label(s) for s in ticks], rotation=45, fontsize=7)
    ax.set_xlabel("message size")
    ax.set_yscale("log")
    ax.set_ylabel("GB/s (process peers)")
    ax.set_title(f"Zero-copy hand-off against copying (pin {pin})")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
    return fig


def charts(context):
    facts = context.get("mechanisms", {}) if isinstance(context.get("mechanisms"), dict) else {}
    return [("zero_copy", lambda records: zero_copy(records, facts))]
