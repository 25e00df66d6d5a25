"""The processes-vs-threads charts: spawn cost, pools, CPU and IO speed-up, context switches and locks,
memory per worker, and the homework. Each returns a figure, or None when the run lacks the family."""
from .analysis.workers import costs_rows, homework_rows, scaling_series
from .model import query
from . import style


def _bars(ax, labels, values, log=True, xlabel=""):
    for i, v in enumerate(values):
        ax.barh(i, v, **style.bar_style(i % 2))
        ax.text(v, i, f" {v:.3g}", va="center", fontsize=7)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)


def spawn(records):
    rows = query.family(records, "spawn")
    if not rows:
        return None
    rows.sort(key=query.value_ns)
    fig, axes = style.figure(width=7, height=0.3 * len(rows) + 1.2)
    _bars(
        axes[0][0],
        [r["name"].removeprefix("spawn/") for r in rows],
        [query.value_ns(r) / 1e3 for r in rows],
        xlabel="µs to create and reap one worker (log scale)",
    )
    axes[0][0].set_title("Creating a worker: processes vs threads")
    return fig


def pool(records):
    rows = [r for r in query.family(records, "pool") if r.get("items_per_second")]
    if not rows:
        return None
    rows.sort(key=lambda r: -r["items_per_second"])
    fig, axes = style.figure(width=7, height=0.3 * len(rows) + 1.2)
    _bars(
        axes[0][0],
        [r["name"].removeprefix("pool/") for r in rows],
        [r["items_per_second"] for r in rows],
        xlabel="small tasks per second (log scale)",
    )
    axes[0][0].set_title("A pool vs one new worker per task")
    return fig


def scaling(records, cpus):
    series = {g: scaling_series(records, g) for g in ("cpu", "io")}
    kernels = [(g, k) for g in ("cpu", "io") for k in sorted({k for k, _ in series[g]})]
    if not kernels:
        return None
    cols = min(3, len(kernels))
    rows = (len(kernels) + cols - 1) // cols
    fig, axes = style.figure(cols, rows, width=3.8, height=3.2)
    flat = [ax for row in axes for ax in row]
    for ax, (group, kernel) in zip(flat, kernels):
        ns = []
        for kind, (color, marker, line) in zip(("thread", "process"), style.series_styles()):
            points = series[group].get((kernel, kind), [])
            ns += [n for n, _ in points]
            ax.plot(
                [n for n, _ in points],
                [s for _, s in points],
                line,
                marker=marker,
                color=color,
                label={"thread": "threads", "process": "processes"}[kind],
            )
        ns = sorted(set(ns))
        ax.plot(ns, ns, ":", color="grey", label="ideal (= n)")
        if cpus:
            ax.axhline(cpus, color="grey", linewidth=0.8, linestyle="--", label=f"{cpus} CPUs")
        ax.set_xscale("log", base=2)
        ax.set_xticks(ns)
        ax.set_xticklabels([str(n) for n in ns])
        ax.set_title(f"{group}/{kernel}")
        ax.set_xlabel("workers n")
        ax.set_ylabel("speed-up vs sequential")
    for ax in flat[len(kernels) :]:
        ax.set_visible(False)
    flat[0].legend()
    fig.suptitle("CPU- and IO-bound tasks: n tasks in n workers vs one after another")
    fig.tight_layout()
    return fig


def costs(records):
    rows = costs_rows(records)
    if not rows:
        return None
    fig, axes = style.figure(width=7, height=0.25 * len(rows) + 1.2)
    _bars(axes[0][0], [label for label, _ in rows], [v for _, v in rows], xlabel="ns per operation (log scale)")
    axes[0][0].set_title("Context switches, locks (lock+unlock) and signal/wait hand-offs")
    return fig


def memory(records):
    rows = [r for r in query.family(records, "memory") if "pss_bytes_per_worker" in r]
    if not rows:
        return None
    fig, axes = style.figure(2, width=4.5)
    for ax, key, title in zip(
        axes[0], ("pss_bytes_per_worker", "rss_bytes_per_worker"), ("PSS per extra worker", "RSS per extra worker")
    ):
        _bars(
            ax,
            [f"{r['params']['workers']}s, n={r['params']['n']}" for r in rows],
            [max(r[key], 1) / 1024 for r in rows],
            xlabel="KiB (log scale)",
        )
        ax.set_title(title)
    fig.suptitle("Memory one more worker costs (PSS splits shared pages between their users)")
    fig.tight_layout()
    return fig


def homework(records):
    table = homework_rows(records)
    if not table:
        return None
    modes = ["sequential", "threads", "processes"]
    fig, axes = style.figure(len(table), width=4)
    for ax, (task, times) in zip(axes[0], sorted(table.items())):
        present = [m for m in modes if m in times]
        for i, m in enumerate(present):
            ax.bar(i, times[m], **style.bar_style(i))
            ax.text(i, times[m], f"{times[m]:.3g}", ha="center", va="bottom", fontsize=7)
        ax.set_xticks(range(len(present)))
        ax.set_xticklabels(present)
        ax.set_ylabel("wall time (ms)")
        ax.set_title(f"{task} task × 10")
    fig.suptitle("The homework: sequential vs 10 threads vs 10 processes")
    fig.tight_layout()
    return fig
