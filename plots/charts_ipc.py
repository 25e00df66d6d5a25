"""The IPC charts: latency and throughput vs size, the ranking against the machine's floors, latency
distributions, and fan-in scaling. Each function returns a figure, or None when the run has no data for it."""
from . import query
from . import style

FLOOR_CACHELINE = "floor/cacheline/peer:process/pin:cross"


def _by_mechanism(records):
    lines = {}
    for r in records:
        lines.setdefault(query.mechanism(r), []).append((int(r["params"]["size"]), r))
    return {m: sorted(points, key=lambda p: p[0]) for m, points in sorted(lines.items())}


def _size_axis(ax, sizes):
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes)
    ax.set_xticklabels([style.size_label(s) for s in sizes], rotation=45, fontsize=7)
    ax.set_xlabel("message size")


def _per_peer(records, workload, ylabel, title, value, band=None, ceiling=None):
    pin = query.preferred_pin(records, workload)
    if pin is None:
        return None
    peers = [p for p in ("process", "thread") if query.ipc(records, workload, peer=p, pin=pin)]
    fig, axes = style.figure(len(peers), sharey=True)
    for ax, peer in zip(axes[0], peers):
        lines = _by_mechanism(query.ipc(records, workload, peer=peer, pin=pin))
        for (mech, points), (color, marker, line) in zip(lines.items(), style.series_styles()):
            xs = [s for s, _ in points]
            ax.plot(xs, [value(r) for _, r in points], line, marker=marker, markersize=3, color=color, label=mech)
            if band:
                lo, hi = zip(*[band(r) for _, r in points])
                ax.fill_between(xs, lo, hi, color=color, alpha=0.05, linewidth=0)
        if ceiling:
            xs, ys = ceiling
            if xs:
                ax.plot(xs, ys, color="black", linewidth=2, alpha=0.5, label="floor/memcpy (ceiling)")
        _size_axis(ax, sorted({s for pts in lines.values() for s, _ in pts}))
        ax.set_yscale("log")
        ax.set_title(f"peer: {peer}, pin: {pin}")
    axes[0][0].set_ylabel(ylabel)
    axes[0][-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle(title)
    return fig


def latency(records):
    return _per_peer(records, "latency", "round trip (µs)", "IPC round-trip latency: p50 line, p50–p99 band",
                     lambda r: r.get("p50_ns", 0) / 1e3,
                     band=lambda r: (r.get("p50_ns", 0) / 1e3, r.get("p99_ns", 0) / 1e3))


def memcpy_points(records):
    points = sorted((int(r["params"]["size"]), r) for r in query.family(records, "floor", "memcpy"))
    return [s for s, _ in points], [r.get("bytes_per_second", 0) / 1e6 for _, r in points]


def throughput(records):
    return _per_peer(records, "throughput", "MB/s (verified by the consumer)", "IPC throughput",
                     lambda r: r.get("bytes_per_second", 0) / 1e6, ceiling=memcpy_points(records))


def ranking_rows(records, size, workload):
    """[(mechanism, multiple of the floor)] at one size, process peer, preferred pin; best first."""
    pin = query.preferred_pin(records, workload)
    rows = []
    if workload == "latency":
        floor = query.one(records, FLOOR_CACHELINE)
        if not floor or not floor.get("p50_ns"):
            return []
        for r in query.ipc(records, "latency", peer="process", pin=pin, size=size):
            rows.append((query.mechanism(r), r["p50_ns"] / floor["p50_ns"]))
    else:
        floor = query.one(records, f"floor/memcpy/size:{size}")
        if not floor or not floor.get("bytes_per_second"):
            return []
        for r in query.ipc(records, "throughput", peer="process", pin=pin, size=size):
            if r.get("bytes_per_second"):
                rows.append((query.mechanism(r), floor["bytes_per_second"] / r["bytes_per_second"]))
    return sorted(rows, key=lambda row: row[1])


def ranking(records):
    panels = [(ranking_rows(records, 64, "latency"), "64 B round trip, × floor/cacheline"),
              (ranking_rows(records, 65536, "throughput"), "64 KiB throughput, memcpy ÷ mechanism")]
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
        ax.set_xlabel("multiple of the machine's floor (1 = as fast as the hardware allows)")
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


def _scaling_panel(ax, rows, count_param, xlabel, title):
    """Messages per second against a peer count, one line per mechanism."""
    lines = {}
    for r in rows:
        lines.setdefault(query.mechanism(r), []).append((int(r["params"][count_param]), r["items_per_second"]))
    for (mech, points), (color, marker, line) in zip(sorted(lines.items()), style.series_styles()):
        points.sort()
        ax.plot([p for p, _ in points], [v / 1e6 for _, v in points], line, marker=marker, color=color, label=mech)
    counts = sorted({p for pts in lines.values() for p, _ in pts})
    ax.set_xscale("log", base=2)
    ax.set_xticks(counts)
    ax.set_xticklabels([str(p) for p in counts])
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(ncol=2, fontsize="small")


def fan_in(records):
    rows = [r for r in query.ipc(records, "fan_in", peer="process") if r.get("items_per_second")]
    if not rows:
        return None
    fig, axes = style.figure(width=6.5)
    ax = axes[0][0]
    _scaling_panel(ax, rows, "producers", "producers", "Fan-in: N producers to one consumer (64 B, process peers)")
    ax.set_ylabel("messages per second received (millions)")
    return fig


def fan_out(records):
    """One panel per message size: messages published per second, each delivered to every consumer."""
    rows = [r for r in query.ipc(records, "fan_out", peer="process") if r.get("items_per_second")]
    sizes = sorted({int(r["params"]["size"]) for r in rows})
    if not sizes:
        return None
    fig, axes = style.figure(ncols=len(sizes), width=6.0)
    for ax, size in zip(axes[0], sizes):
        _scaling_panel(ax, [r for r in rows if int(r["params"]["size"]) == size], "consumers", "consumers",
                       f"Fan-out: one producer to N consumers ({style.size_label(size)})")
    axes[0][0].set_ylabel("messages per second delivered to all (millions)")
    return fig


CHARTS = [("latency", latency), ("throughput", throughput), ("ranking", ranking), ("cdf", cdf),
          ("fan_in", fan_in), ("fan_out", fan_out)]
