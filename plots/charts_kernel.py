"""What one round trip costs the kernel, per mechanism: its system calls and sleeps (left), and its CPU split
into user and system time (right), fastest round trip first. None when the run counted nothing."""
from .analysis import kernel_cost as counted
from . import style


def _grouped(ax, labels, series, xlabel):
    """Horizontal bars, one group per label, one bar per (legend, values) of series."""
    height = 0.8 / len(series)
    for k, (legend, values) in enumerate(series):
        ys = [i + (k - (len(series) - 1) / 2) * height for i in range(len(labels))]
        ax.barh(ys, values, height=height, label=legend, **style.bar_style(k))
        for y, v in zip(ys, values):
            ax.text(v, y, f" {v:.3g}" if v >= 0.01 else " 0", va="center", fontsize=6)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=7, loc="lower right")


def kernel_cost(records, L):
    table = counted.rows(records)
    if not table:
        return None
    labels = [row["mechanism"] for row in table]
    fig, axes = style.figure(2, 1, width=4.6, height=0.26 * len(table) + 1.4)
    counts = [(L["chart_kernel_sleeps"], [row["sleeps"] for row in table])]
    if all("syscalls" in row for row in table):
        counts.insert(0, (L["chart_kernel_syscalls"], [row["syscalls"] for row in table]))
    _grouped(axes[0][0], labels, counts, L["chart_kernel_counts_xlabel"])
    cpu = [
        (L["chart_kernel_user"], [row.get("user_ns", 0) / 1e3 for row in table]),
        (L["chart_kernel_system"], [row.get("system_ns", 0) / 1e3 for row in table]),
    ]
    _grouped(axes[0][1], labels, cpu, L["chart_kernel_cpu_xlabel"])
    axes[0][1].set_xscale("symlog", linthresh=1)
    fig.suptitle(L["chart_kernel_title"].format(pin=table[0]["pin"]), fontsize=9)
    return fig
