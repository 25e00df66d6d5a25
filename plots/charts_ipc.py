"""The IPC charts: latency and throughput vs size, the ranking against the machine's floors, latency
distributions, and fan-in scaling. Each function returns a figure, or None when the run has no data for it."""
from . import groups
from .model import query
from . import style
from . import texts


def _by_mechanism(records):
    lines = {}
    for r in records:
        lines.setdefault(query.mechanism(r), []).append((int(r["params"]["size"]), r))
    return {m: sorted(points, key=lambda p: p[0]) for m, points in sorted(lines.items())}


def _size_axis(ax, sizes):
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes)
    ax.set_xticklabels([texts.size(s) for s in sizes], rotation=45, fontsize=7)
    ax.set_xlabel("message size")


def _small_multiples(records, facts, workload, ylabel, title, value, floor=None):
    """One panel per group of mechanisms (plots/groups.py), process peers at the preferred pin, each panel
    with the machine's floor; a mechanism looks the same in every panel and chart."""
    pin = query.preferred_pin(records, workload)
    if pin is None:
        return None
    rows = query.ipc(records, workload, peer="process", pin=pin)
    lines = _by_mechanism(rows)
    if not lines:
        return None
    looks = groups.styles(set(facts) | set(lines), facts)
    layout = groups.panels(lines, facts)
    cols = min(3, len(layout))
    nrows = (len(layout) + cols - 1) // cols
    fig, axes = style.figure(cols, nrows, width=3.7, height=3.0, sharey=True)
    sizes = sorted({s for pts in lines.values() for s, _ in pts})
    for ax, (panel_title, members) in zip(axes.flat, layout):
        for mech in members:
            color, marker, line = looks[mech]
            points = lines[mech]
            ax.plot(
                [s for s, _ in points],
                [value(r) for _, r in points],
                line,
                marker=marker,
                markersize=3,
                color=color,
                label=mech,
            )
        if floor:
            xs, ys, label = floor
            if xs:
                ax.plot(xs, ys, color="grey", linewidth=2.5, alpha=0.5, label=label)
        _size_axis(ax, sizes)
        ax.set_yscale("log")
        ax.set_title(panel_title, fontsize=9)
        ax.legend(fontsize=6.5, loc="best")
    for ax in list(axes.flat)[len(layout) :]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel(ylabel)
    fig.suptitle(f"{title} (process peers, pin {pin})")
    fig.tight_layout()
    return fig


def latency(records, facts):
    floor = query.one(records, query.FLOOR_CACHELINE)
    sizes = sorted({int(r["params"]["size"]) for r in query.ipc(records, "latency")})
    line = (sizes, [floor["p50_ns"] / 1e3] * len(sizes), "floor/cacheline") if floor and floor.get("p50_ns") else None
    return _small_multiples(
        records,
        facts,
        "latency",
        "round trip p50 (µs)",
        "IPC round-trip latency",
        lambda r: r.get("p50_ns", 0) / 1e3,
        floor=line,
    )


def floor_points(records):
    name, sizes = query.throughput_floor(records)
    return name, sorted(sizes), [sizes[s] / 1e6 for s in sorted(sizes)]


def throughput(records, facts):
    name, xs, ys = floor_points(records)
    return _small_multiples(
        records,
        facts,
        "throughput",
        "MB/s (verified by the consumer)",
        "IPC throughput",
        lambda r: r.get("bytes_per_second", 0) / 1e6,
        floor=(xs, ys, name) if name else None,
    )


def heat(records, workload):
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
    mechs = sorted({m for m, _ in cells}, key=lambda m: min(v for (mm, _), v in cells.items() if mm == m))
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
    what = "round trip ÷ floor/cacheline" if workload == "latency" else f"{floor_name} ÷ throughput"
    ax.set_title(f"{workload.capitalize()}: {what} (process peers, pin {pin})", fontsize=9)
    fig.colorbar(image, ax=ax, shrink=0.6, label="× the floor (1 = the hardware's limit)")
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


def ranking(records):
    panels = [
        (ranking_rows(records, 64, "latency"), "64 B round trip, × floor/cacheline"),
        (ranking_rows(records, 65536, "throughput"), "64 KiB throughput, floor ÷ mechanism"),
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
        ax.set_xlabel("multiple of the machine's floor\n(1 = as fast as the hardware allows)")
    fig.suptitle("Every mechanism against the machine's floor (process peer)")
    return fig


PERCENTILES = [("p50_ns", 0.50), ("p90_ns", 0.90), ("p99_ns", 0.99), ("p999_ns", 0.999), ("max_ns", 1.0)]


def cdf(records):
    pin, rows = query.latency_ranking(records)
    if len(rows) < 2:
        return None
    picks = rows[:2] + rows[-2:] if len(rows) >= 4 else rows
    fig, axes = style.figure()
    ax = axes[0][0]
    for r, (color, marker, line) in zip(picks, style.series_styles()):
        xs = [r.get(k, 0) / 1e3 for k, _ in PERCENTILES]
        ax.plot(xs, [q for _, q in PERCENTILES], line, marker=marker, color=color, label=query.mechanism(r))
    ax.set_xscale("log")
    ax.set_xlabel("round trip (µs)")
    ax.set_ylabel("fraction of round trips at or below")
    ax.set_title(f"64 B latency distribution, fastest and slowest (process, pin {pin})")
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


def fan_in(records, facts):
    rows = [r for r in query.ipc(records, "fan_in", peer="process") if r.get("items_per_second")]
    if not rows:
        return None
    fig, axes = style.figure(width=6.5)
    ax = axes[0][0]
    _scaling_panel(
        ax, rows, "producers", "producers", "Fan-in: N producers to one consumer (64 B, process peers)", facts
    )
    ax.set_ylabel("messages per second received (millions)")
    return fig


def fan_out(records, facts):
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
            "consumers",
            f"Fan-out: one producer to N consumers ({texts.size(size)})",
            facts,
        )
    axes[0][0].set_ylabel("messages per second delivered to all (millions)")
    return fig
