"""Every chart of the report in report order, one entry each: how it is drawn, its heading (a
message id of the catalogs), the figures listed under it and the findings stated with it. render,
report and the tests iterate this list: a new chart is its drawing module and one entry here."""
from dataclasses import dataclass
from typing import Callable

from .analysis.load import DEFAULT_BUDGETS_NS
from . import charts_ipc
from . import charts_kernel
from . import charts_load
from . import charts_workers
from . import charts_zero_copy
from . import key_figures


@dataclass(frozen=True)
class Section:
    id: str
    draw: Callable  # (records, context, messages) -> a figure in their language, or None: nothing for it
    key_figures: Callable = key_figures.none  # (records, facts, labels) -> [(benchmark, value)]
    findings: tuple = ()  # keys of findings.all_findings stated under the chart
    among_charts: bool = True  # False: drawn, but shown in a section of its own (the homework)

    @property
    def heading(self):
        return "section_" + self.id


def facts(context):
    mechanisms = context.get("mechanisms")
    return mechanisms if isinstance(mechanisms, dict) else {}


def budgets(context):
    return context.get("latency_budgets_ns") or DEFAULT_BUDGETS_NS


SECTIONS = [
    Section(
        "latency",
        lambda r, c, L: charts_ipc.latency(r, facts(c), L),
        key_figures.latency,
        ("latency_extremes", "shm_vs_pipe"),
    ),
    Section(
        "throughput",
        lambda r, c, L: charts_ipc.throughput(r, facts(c), L),
        key_figures.throughput,
        ("best_throughput",),
    ),
    Section("ranking", lambda r, c, L: charts_ipc.ranking(r, L)),
    Section(
        "kernel_cost",
        lambda r, c, L: charts_kernel.kernel_cost(r, L),
        findings=("kernel_cost", "sqpoll_cost"),
        among_charts=False,
    ),
    Section("latency_heat", lambda r, c, L: charts_ipc.heat(r, "latency", L)),
    Section("throughput_heat", lambda r, c, L: charts_ipc.heat(r, "throughput", L)),
    Section("cdf", lambda r, c, L: charts_ipc.cdf(r, L)),
    Section("fan_in", lambda r, c, L: charts_ipc.fan_in(r, facts(c), L), key_figures.fan("fan_in")),
    Section("fan_out", lambda r, c, L: charts_ipc.fan_out(r, facts(c), L), key_figures.fan("fan_out")),
    Section(
        "zero_copy", lambda r, c, L: charts_zero_copy.zero_copy(r, facts(c), L), key_figures.zero_copy, ("zero_copy",)
    ),
    Section(
        "load_knee",
        lambda r, c, L: charts_load.knee(r, facts(c), L),
        key_figures.load_knee,
        ("load_capacity", "spin_vs_block", "load_not_achieved"),
    ),
    Section("load_budget", lambda r, c, L: charts_load.budget(r, budgets(c), L), key_figures.load_budget),
    Section("load_rtt_knee", lambda r, c, L: charts_load.rtt_knee(r, facts(c), L), key_figures.load_rtt_knee),
    Section("spawn", lambda r, c, L: charts_workers.spawn(r, L), key_figures.spawn, ("spawn_ratio",)),
    Section("pool", lambda r, c, L: charts_workers.pool(r, L), key_figures.pool, ("pool_ratio",)),
    Section(
        "scaling",
        lambda r, c, L: charts_workers.scaling(r, c.get("num_cpus"), L),
        key_figures.scaling,
        ("cpu_scaling", "io_scaling"),
    ),
    Section("costs", lambda r, c, L: charts_workers.costs(r, L), key_figures.costs, ("ctx_ratio",)),
    Section("memory", lambda r, c, L: charts_workers.memory(r, L), key_figures.memory, ("memory_ratio",)),
    Section("homework", lambda r, c, L: charts_workers.homework(r, L), among_charts=False),
]
