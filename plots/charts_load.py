"""Latency under load (load/*): each mechanism's knee (corrected latency percentiles against the rate it
achieved) in one panel per data path, and the highest rate each sustains with p99 under a budget; round trips
under load (load_rtt/*), over loopback and between hosts side by side.
Groups come from the mechanisms' facts in the run's context, never from their names; every word is a
message of L, the language a chart is drawn in."""
from .analysis.load import capacities, groups, points, rtt_points
from .model import query
from . import texts
from . import groups as mechanism_groups
from . import style

PERCENTILES = [("p50_ns", "p50"), ("p99_ns", "p99"), ("p999_ns", "p99.9")]


def _plot_points(ax, rows, key, line, color, marker, label):
    """One mechanism's points, `key` in µs against the achieved rate with its 95 % interval as an error bar;
    a point whose offered rate was not kept is ringed (hollow). A point without the samples for `key` is left
    out; returns how many were."""
    shown = [r for r in rows if r.get(key)]
    ys = [r[key] / 1e3 for r in shown]
    errors = [
        [max(y - r.get(key + "_lo", r[key]) / 1e3, 0) for y, r in zip(ys, shown)],
        [max(r.get(key + "_hi", r[key]) / 1e3 - y, 0) for y, r in zip(ys, shown)],
    ]
    ax.errorbar(
        [r["achieved_rate"] for r in shown],
        ys,
        yerr=errors,
        fmt=line,
        color=color,
        marker=marker,
        markersize=3,
        label=label,
        capsize=2,
        elinewidth=0.8,
    )
    missed = [r for r in shown if r.get("rate_not_achieved")]
    ax.plot(
        [r["achieved_rate"] for r in missed],
        [r.get(key, 0) / 1e3 for r in missed],
        "none",
        marker=marker,
        markersize=7,
        markerfacecolor="none",
        markeredgecolor=color,
    )
    return len(rows) - len(shown)


def knee(records, facts, L):
    by, common = points(records)
    if not by:
        return None
    panels = groups(by, facts)
    fig, axes = style.figure(len(panels), len(PERCENTILES), width=4.6, height=3.4, sharex=True, sharey=True)
    styles = mechanism_groups.styles(set(facts) | set(by), facts)  # each mechanism as in every other chart
    for col, (path, mechs) in enumerate(panels):
        for row, (key, label) in enumerate(PERCENTILES):
            ax = axes[row][col]
            absent = 0
            for mech in mechs:
                color, marker, line = styles[mech]
                absent += _plot_points(ax, by[mech], key, line, color, marker, mech)
            if absent:
                ax.text(
                    0.98,
                    0.02,
                    L["chart_points_absent"].format(count=absent, percentile=label),
                    transform=ax.transAxes,
                    ha="right",
                    va="bottom",
                    fontsize=6,
                    color="grey",
                )
            ax.set_xscale("log")
            ax.set_yscale("log")
            if row == 0:
                ax.set_title(L.get("data_path_" + path, path))
            if col == 0:
                ax.set_ylabel(L["chart_one_way"].format(percentile=label))
            if row == len(PERCENTILES) - 1:
                ax.set_xlabel(L["chart_achieved_messages"])
        axes[0][col].legend(fontsize=6, loc="upper left")
    peer, pin, size = common
    fig.suptitle(L["chart_load_title"].format(size=size, peer=L["chart_peer_" + peer], pin=pin))
    return fig


def budget(records, budgets_ns, L):
    panels = [(b, capacities(records, b)) for b in budgets_ns]
    panels = [(b, rows) for b, rows in panels if rows]
    if not panels:
        return None
    fig, axes = style.figure(len(panels), width=4.6, height=0.3 * max(len(rows) for _, rows in panels) + 1.6)
    for ax, (b, rows) in zip(axes[0], panels):
        values = [r["capacity"] for r in rows]
        errors = [
            [v - r.get("capacity_lo", v) for v, r in zip(values, rows)],
            [r.get("capacity_hi", v) - v for v, r in zip(values, rows)],
        ]
        ax.barh(range(len(rows)), values, xerr=errors, capsize=2, error_kw={"elinewidth": 0.8}, **style.bar_style(2))
        for i, v in enumerate(values):
            ax.annotate(texts.per_second(v), (v, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=6)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([query.mechanism(r) for r in rows], fontsize=7)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel(L["chart_messages_per_second"])
        ax.set_title(L["chart_budget_panel"].format(budget=f"{b / 1e3:g}"))
    fig.subplots_adjust(wspace=0.6)
    fig.suptitle(L["chart_budget_title"])
    return fig


def rtt_knee(records, facts, L):
    """Round trips under load: p50 and p99 from each request's scheduled send against the achieved rate, one
    panel per percentile, each mechanism over loopback (solid) and between hosts (dashed) in its own colour."""
    by, common = rtt_points(records)
    if not by:
        return None
    fig, axes = style.figure(2, 1, width=4.6, height=3.4, sharex=True, sharey=True)
    styles = mechanism_groups.styles(set(facts) | {m for m, _ in by}, facts)
    for ax, (key, label) in zip(axes[0], PERCENTILES[:2]):
        for (mech, peer), rs in by.items():
            color, marker, _ = styles[mech]
            line = "--" if peer == "remote" else "-"
            where = L["chart_between_hosts"] if peer == "remote" else L["chart_loopback"]
            _plot_points(ax, rs, key, line, color, marker, where.format(mechanism=mech))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(L["chart_rtt_panel"].format(percentile=label))
        ax.set_xlabel(L["chart_achieved_round_trips"])
    axes[0][0].set_ylabel(L["chart_rtt_ylabel"])
    axes[0][0].legend(fontsize=6, loc="upper left")
    pin, size = common
    fig.suptitle(L["chart_rtt_title"].format(size=size, pin=pin))
    fig.subplots_adjust(top=0.84)
    return fig
