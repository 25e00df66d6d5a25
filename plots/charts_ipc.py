"""The IPC charts: latency and throughput vs size, the ranking against the machine's floors, latency
distributions, and fan-in scaling. Each function returns a figure, or None when the run has no data for it;
its words are the messages of L, the language it is drawn in."""
from . import groups
from .model import query
from . import style
from . import texts


def _by_mechanism(records):
    lines = {}
    for r in records:
        lines.setdefault(query.mechanism(r), []).append((int(r["params"]["size"]), r))
    return {m: sorted(points, key=lambda p: p[0]) for m, points in sorted(lines.items())}


def _size_axis(ax, sizes, L):
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes)
    ax.set_xticklabels([texts.size(s) for s in sizes], rotation=45, fontsize=7)
    ax.set_xlabel(L["chart_message_size"])


def _with_error_bars(points, field, scale):
    """(xs, ys, [below, above]) of (size, record) points: each figure over `scale`, and how far its interval
    reaches either side (0 where it has none)."""
    xs, ys, below, above = [], [], [], []
    for size, r in points:
        if not r.get(field):
            continue
        y = r[field] / scale
        lo, hi = r.get(field + "_lo", r[field]) / scale, r.get(field + "_hi", r[field]) / scale
        xs.append(size)
        ys.append(y)
        below.append(max(y - lo, 0))
        above.append(max(hi - y, 0))
    return xs, ys, [below, above]


def _small_multiples(records, facts, L, workload, ylabel, title, field, scale, floor=None):
    """One panel per group of mechanisms (plots/groups.py), process peers at the preferred pin, each panel
    with the machine's floor; a mechanism looks the same in every panel and chart. Each point is `field`
    over `scale`, with its 95 % interval as an error bar."""
    pin = query.preferred_pin(records, workload)
    if pin is None:
        return None
    rows = query.ipc(records, workload, peer="process", pin=pin)
    lines = _by_mechanism(rows)
    if not lines:
        return None
    looks = groups.styles(set(facts) | set(lines), facts)
    layout = groups.panels(lines, facts, L)
    cols = min(3, len(layout))
    nrows = (len(layout) + cols - 1) // cols
    fig, axes = style.figure(cols, nrows, width=3.7, height=3.0, sharey=True)
    sizes = sorted({s for pts in lines.values() for s, _ in pts})
    for ax, (panel_title, members) in zip(axes.flat, layout):
        for mech in members:
            color, marker, line = looks[mech]
            xs, ys, errors = _with_error_bars(lines[mech], field, scale)
            ax.errorbar(
                xs,
                ys,
                yerr=errors,
                fmt=line,
                marker=marker,
                markersize=3,
                color=color,
                label=mech,
                capsize=2,
                elinewidth=0.8,
            )
        if floor:
            xs, ys, label = floor
            if xs:
                ax.plot(xs, ys, color="grey", linewidth=2.5, alpha=0.5, label=label)
        _size_axis(ax, sizes, L)
        ax.set_yscale("log")
        ax.set_title(panel_title, fontsize=9)
        ax.legend(fontsize=6.5, loc="best")
    for ax in list(axes.flat)[len(layout) :]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel(ylabel)
    fig.suptitle(L["chart_titled_process_pin"].format(title=title, pin=pin))
    fig.tight_layout()
    return fig


def latency(records, facts, L):
    floor = query.one(records, query.FLOOR_CACHELINE)
    sizes = sorted({int(r["params"]["size"]) for r in query.ipc(records, "latency")})
    line = (sizes, [floor["p50_ns"] / 1e3] * len(sizes), "floor/cacheline") if floor and floor.get("p50_ns") else None
    return _small_multiples(
        records,
        facts,
        L,
        "latency",
        L["chart_latency_ylabel"],
        L["chart_latency_title"],
        "p50_ns",
        1e3,
        floor=line,
    )


def floor_points(records):
    name, sizes = query.throughput_floor(records)
    return name, sorted(sizes), [sizes[s] / 1e6 for s in sorted(sizes)]


def throughput(records, facts, L):
    name, xs, ys = floor_points(records)
    return _small_multiples(
        records,
        facts,
        L,
        "throughput",
        L["chart_throughput_ylabel"],
        L["chart_throughput_title"],
        "bytes_per_second",
        1e6,
        floor=(xs, ys, name) if name else None,
    )


def heat(records, workload, L):
    """Every mechanism by size as a multiple of the machine's floor, the value written in each cell:
    latency p50 ÷ floor/cacheline, and floor/stream ÷ throughput (1 = as fast as the hardware allows)."""
    pin = query.preferred_pin(records, workload)
    rows = query.ipc(records, workload, peer="process", pin=pin)
    if workload == "latency":
        floor = query.one(records, query.FLOOR_CACHELINE)
        if not floor or not floor.get("p50_ns"):
            return None
        multiple = lambda r: r["p50_ns"] / floor["p50_ns"] if r.get("p50_ns") else None
    else:
        floor_name, floor = query.throughput_floor(records)
        multiple = lambda r: (
            floor[int(r["params"]["size"])] / r["bytes_per_second"]
            if r.get("bytes_per_second") and floor.get(int(r["params"]["size"]))
            else None
        )
    cells = {(query.mechanism(r), int(r["params"]["size"])): multiple(r) for r in rows}
    cells = {k: v for k, v in cells.items() if v}
    if not cells:
        return None
    sizes = sorted({s for _, s in cells})
    mechs = sorted({m for m, _ in cells}, key=lambda m: (min(v for (mm, _), v in cells.items() if mm == m), m))
    import numpy as np
    from matplotlib.colors import LogNorm

    grid = np.full((len(mechs), len(sizes)), np.nan)
    for (m, s), v in cells.items():
        grid[mechs.index(m), sizes.index(s)] = v
    fig, axes = style.figure(width=1.0 + 0.85 * len(sizes), height=0.24 * len(mechs) + 1.6)
    ax = axes[0][0]
    ax.grid(False)
    image = ax.imshow(grid, aspect="auto", cmap="YlOrRd", norm=LogNorm(vmin=1, vmax=max(np.nanmax(grid), 10)))
    for (i, j), v in np.ndenumerate(grid):
        if not np.isnan(v):
            ax.text(
                j,
                i,
                f"{v:.0f}" if v >= 10 else f"{v:.1f}",
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if v > 500 else "black",
            )
    ax.set_xticks(range(len(sizes)))
    ax.set_xticklabels([texts.size(s) for s in sizes], fontsize=7)
    ax.set_yticks(range(len(mechs)))
    ax.set_yticklabels(mechs, fontsize=7)
    title = L["chart_heat_latency"] if workload == "latency" else L["chart_heat_throughput"]
    ax.set_title(title.format(pin=pin, floor=floor_name if workload != "latency" else ""), fontsize=9)
    fig.colorbar(image, ax=ax, shrink=0.6, label=L["chart_heat_colorbar"])
    fig.tight_layout()
    return fig


def ranking_rows(records, size, workload):
    """[(mechanism, multiple of the floor)] at one size, process peer, preferred pin; best first."""
    pin = query.preferred_pin(records, workload)
    rows = []
    if workload == "latency":
        floor = query.one(records, query.FLOOR_CACHELINE)
        if not floor or not floor.get("p50_ns"):
            return []
        for r in query.ipc(records, "latency", peer="process", pin=pin, size=size):
            rows.append((query.mechanism(r), r["p50_ns"] / floor["p50_ns"]))
    else:
        floor = query.throughput_floor(records)[1].get(size)
        if not floor:
            return []
        for r in query.ipc(records, "throughput", peer="process", pin=pin, size=size):
            if r.get("bytes_per_second"):
                rows.append((query.mechanism(r), floor / r["bytes_per_second"]))
    return sorted(rows, key=lambda row: row[1])


def ranking(records, L):
    panels = [
        (ranking_rows(records, 64, "latency"), L["chart_ranking_latency"]),
        (ranking_rows(records, 65536, "throughput"), L["chart_ranking_throughput"]),
    ]
    panels = [p for p in panels if p[0]]
    if not panels:
        return None
    fig, axes = style.figure(len(panels), height=0.25 * max(len(p[0]) for p in panels) + 1.5)
    for ax, (rows, title) in zip(axes[0], panels):
        names = [m for m, _ in rows]
        ax.barh(range(len(rows)), [v for _, v in rows], **style.bar_style(1))
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(names, fontsize=7)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.axvline(1, color="black", linewidth=1)
        ax.set_title(title)
        ax.set_xlabel(L["chart_ranking_xlabel"])
    fig.suptitle(L["chart_ranking_title"])
    return fig


PERCENTILES = [("p50_ns", 0.50), ("p90_ns", 0.90), ("p99_ns", 0.99), ("p999_ns", 0.999), ("max_ns", 1.0)]


def cdf(records, L):
    pin, rows = query.latency_ranking(records)
    if len(rows) < 2:
        return None
    picks = rows[:2] + rows[-2:] if len(rows) >= 4 else rows
    fig, axes = style.figure()
    ax = axes[0][0]
    for r, (color, marker, line) in zip(picks, style.series_styles()):
        shown = [(k, q) for k, q in PERCENTILES if r.get(k)]  # a percentile without its samples is left out
        xs = [r[k] / 1e3 for k, _ in shown]
        ax.plot(xs, [q for _, q in shown], line, marker=marker, color=color, label=query.mechanism(r))
    ax.set_xscale("log")
    ax.set_xlabel(L["chart_cdf_xlabel"])
    ax.set_ylabel(L["chart_cdf_ylabel"])
    ax.set_title(L["chart_cdf_title"].format(pin=pin))
    ax.legend()
    return fig


def _scaling_panel(ax, rows, count_param, xlabel, title, facts):
    """Messages per second against a peer count, one line per mechanism (its look as in every chart)."""
    lines = {}
    for r in rows:
        lines.setdefault(query.mechanism(r), []).append((int(r["params"][count_param]), r["items_per_second"]))
    looks = groups.styles(set(facts) | set(lines), facts)
    for mech, points in sorted(lines.items()):
        color, marker, line = looks[mech]
        points.sort()
        ax.plot([p for p, _ in points], [v / 1e6 for _, v in points], line, marker=marker, color=color, label=mech)
    counts = sorted({p for pts in lines.values() for p, _ in pts})
    ax.set_xscale("log", base=2)
    ax.set_xticks(counts)
    ax.set_xticklabels([str(p) for p in counts])
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(ncol=2, fontsize="small", loc="best")


def fan_in(records, facts, L):
    rows = [r for r in query.ipc(records, "fan_in", peer="process") if r.get("items_per_second")]
    if not rows:
        return None
    fig, axes = style.figure(width=6.5)
    ax = axes[0][0]
    _scaling_panel(ax, rows, "producers", L["chart_producers"], L["chart_fan_in_title"], facts)
    ax.set_ylabel(L["chart_fan_in_ylabel"])
    return fig


def fan_out(records, facts, L):
    """One panel per message size: messages published per second, each delivered to every consumer."""
    rows = [r for r in query.ipc(records, "fan_out", peer="process") if r.get("items_per_second")]
    sizes = sorted({int(r["params"]["size"]) for r in rows})
    if not sizes:
        return None
    fig, axes = style.figure(ncols=len(sizes), width=6.0)
    for ax, size in zip(axes[0], sizes):
        _scaling_panel(
            ax,
            [r for r in rows if int(r["params"]["size"]) == size],
            "consumers",
            L["chart_consumers"],
            L["chart_fan_out_title"].format(size=texts.size(size)),
            facts,
        )
    axes[0][0].set_ylabel(L["chart_fan_out_ylabel"])
    return fig
