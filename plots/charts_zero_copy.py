"""Zero-copy hand-offs against copying: throughput against message size for each zero-copy mechanism
and the plain mechanism it is set against (both read from the run's facts: `zero_copy`, `counterpart`),
and the size from which each overtakes its counterpart; its words are the messages of L."""
from .analysis.zero_copy import pairs, series
from .model import query
from . import style
from . import texts


def zero_copy(records, facts, L):
    pin = query.preferred_pin(records, "throughput")
    drawn = [(m, c) for m, c in pairs(facts) if series(records, m, pin)]
    if not drawn:
        return None
    fig, axes = style.figure(width=7.0)
    ax = axes[0][0]
    sizes = set()
    for (mech, counterpart), (color, marker, _) in zip(drawn, style.series_styles()):
        copies = L["chart_copies_for"].format(counterpart=counterpart, mechanism=mech)
        for name, line, label in ((mech, "-", mech), (counterpart, ":", copies)):
            rates = series(records, name, pin)
            xs = sorted(rates)
            sizes |= set(xs)
            ax.plot(xs, [rates[s] / 1e9 for s in xs], line, marker=marker, markersize=3, color=color, label=label)
    ax.set_xscale("log", base=2)
    ticks = sorted(sizes)
    ax.set_xticks(ticks)
    ax.set_xticklabels([texts.size(s) for s in ticks], rotation=45, fontsize=7)
    ax.set_xlabel(L["chart_message_size"])
    ax.set_yscale("log")
    ax.set_ylabel(L["chart_gbps_process"])
    ax.set_title(L["chart_zero_copy_title"].format(pin=pin))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
    return fig
