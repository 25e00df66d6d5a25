"""The processes-vs-threads charts: spawn cost, pools, CPU and IO speed-up, context switches and locks,
memory per worker, and the homework. Each returns a figure, or None when the run lacks the family; its
words are the messages of L, the language it is drawn in."""
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


def spawn(records, L):
    rows = query.family(records, "spawn")
    if not rows:
        return None
    rows.sort(key=query.value_ns)
    fig, axes = style.figure(width=7, height=0.3 * len(rows) + 1.2)
    _bars(
        axes[0][0],
        [r["name"].removeprefix("spawn/") for r in rows],
        [query.value_ns(r) / 1e3 for r in rows],
        xlabel=L["chart_spawn_xlabel"],
    )
    axes[0][0].set_title(L["chart_spawn_title"])
    return fig


def pool(records, L):
    rows = [r for r in query.family(records, "pool") if r.get("items_per_second")]
    if not rows:
        return None
    rows.sort(key=lambda r: -r["items_per_second"])
    fig, axes = style.figure(width=7, height=0.3 * len(rows) + 1.2)
    _bars(
        axes[0][0],
        [r["name"].removeprefix("pool/") for r in rows],
        [r["items_per_second"] for r in rows],
        xlabel=L["chart_pool_xlabel"],
    )
    axes[0][0].set_title(L["chart_pool_title"])
    return fig


def scaling(records, cpus, L):
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
                label=_workers(kind, L),
            )
        ns = sorted(set(ns))
        ax.plot(ns, ns, ":", color="grey", label=L["chart_ideal"])
        if cpus:
            ax.axhline(cpus, color="grey", linewidth=0.8, linestyle="--", label=L["chart_cpus"].format(cpus=cpus))
        ax.set_xscale("log", base=2)
        ax.set_xticks(ns)
        ax.set_xticklabels([str(n) for n in ns])
        ax.set_title(f"{group}/{kernel}")
        ax.set_xlabel(L["chart_workers_n"])
        ax.set_ylabel(L["chart_speedup"])
    for ax in flat[len(kernels) :]:
        ax.set_visible(False)
    flat[0].legend()
    fig.suptitle(L["chart_scaling_title"])
    fig.tight_layout()
    return fig


def _workers(kind, L):
    """ "thread" or "process" (a peer or workers parameter) as L's plural: threads, processes."""
    return L["chart_processes" if kind == "process" else "chart_threads"]


def _cost_label(kind, what, L):
    if kind == "lock":
        return L["chart_cost_lock"].format(lock=what["lock"], workers=_workers(what["workers"], L), n=what["n"])
    return L["chart_cost_" + kind].format(**dict(what, peer=L["chart_peer_" + what["peer"]]))


def costs(records, L):
    rows = costs_rows(records)
    if not rows:
        return None
    fig, axes = style.figure(width=7, height=0.25 * len(rows) + 1.2)
    labels = [_cost_label(kind, what, L) for (kind, what), _ in rows]
    _bars(axes[0][0], labels, [v for _, v in rows], xlabel=L["chart_costs_xlabel"])
    axes[0][0].set_title(L["chart_costs_title"])
    return fig


def memory(records, L):
    rows = [r for r in query.family(records, "memory") if "pss_bytes_per_worker" in r]
    if not rows:
        return None
    fig, axes = style.figure(2, width=4.5)
    for ax, key, title in zip(
        axes[0], ("pss_bytes_per_worker", "rss_bytes_per_worker"), (L["chart_memory_pss"], L["chart_memory_rss"])
    ):
        _bars(
            ax,
            [
                L["chart_memory_row"].format(workers=_workers(r["params"]["workers"], L), n=r["params"]["n"])
                for r in rows
            ],
            [max(r[key], 1) / 1024 for r in rows],
            xlabel=L["chart_kib_log"],
        )
        ax.set_title(title)
    fig.suptitle(L["chart_memory_title"])
    fig.tight_layout()
    return fig


def homework(records, L):
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
        ax.set_xticklabels([L["chart_" + m] for m in present])
        ax.set_ylabel(L["chart_wall_ms"])
        ax.set_title(L["chart_homework_panel"].format(task=task.upper()))
    fig.suptitle(L["chart_homework_title"])
    fig.tight_layout()
    return fig
