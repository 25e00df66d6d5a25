"""The sentences that carry the computed findings, put together from the catalogs' messages (every word
in plots/catalogs/*.po, English and Chinese alike), and the numbers formatted the same way in both.
Which sentence a finding gets is decided in plots/analysis/; here it is only worded."""
from . import catalog


def ns(v):
    """A duration in ns, as people read it: 440 ns, 0.58 µs, 1.54 ms, 1.2 s."""
    if v is None:
        return "—"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if v >= scale:
            return f"{v / scale:.3g} {unit}"
    return f"{v:.3g} ns"


def rate(bytes_per_second):
    return "—" if bytes_per_second is None else f"{bytes_per_second / 1e9:.3g} GB/s"


def per_second(v):
    if v is None:
        return "—"
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if v >= scale:
            return f"{v / scale:.3g} {unit}/s"
    return f"{v:.3g} /s"


def times(x):
    return f"{x:.3g}x" if x < 10 else f"{x:.0f}x"


def faster(ratio, lang="en"):
    """How many times faster A is when B/A = ratio: "2.5x faster", and below 1 "1.28x slower", never
    "0.78x faster" (which a reader takes for faster)."""
    L = catalog.messages(lang)
    if ratio >= 1:
        return L["faster"].format(times=times(ratio))
    return L["slower"].format(times=times(1 / ratio))


def lead(L, f):
    """A ratio finding's "N times" with its interval ("65x [58–72x]"), or, within the noise, the ratio said to
    be no difference measurable here. f: ratio, ratio_lo, ratio_hi, decided (findings._lead)."""
    if not f.get("decided", True):
        return L["times_within_noise"].format(times=times(f["ratio"]))
    if f.get("ratio_lo") is None or times(f["ratio_lo"]) == times(f["ratio_hi"]):  # no interval to say
        return times(f["ratio"])
    return f"{times(f['ratio'])} [{times(f['ratio_lo'])}–{times(f['ratio_hi'])}]"


def kib(b):
    return f"{b / 1024:.0f} KiB" if b >= 1024 else f"{b:.0f} B"


def size(n):
    """A message size: 64 B, 64 KiB, 16 MiB."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} B"


def _latency_extremes(L, f):
    s = L["finding_latency_extremes"].format(
        pin=f["pin"],
        fastest=f["fastest"],
        fastest_ns=ns(f["fastest_ns"]),
        slowest=f["slowest"],
        slowest_ns=ns(f["slowest_ns"]),
    )
    if f.get("floor_ns"):
        s += L["finding_cacheline_floor"].format(floor=ns(f["floor_ns"]))
    if f.get("clock_ns"):
        s += L["finding_clock"].format(clock=ns(f["clock_ns"]))
        if f.get("clock_pair_ns") is not None:
            s += L["finding_clock_pair"].format(pair=ns(f["clock_pair_ns"]))
        s += L["full_stop"]
    return s


def _shm_vs_pipe(L, f):
    return L["finding_shm_vs_pipe"].format(
        shm=ns(f["shm_ns"]), pipe=ns(f["pipe_ns"]), faster=L["faster"].format(times=lead(L, f))
    )


def _best_throughput(L, f):
    s = L["finding_best_throughput"].format(mechanism=f["mechanism"], rate=rate(f["bytes_per_second"]))
    if f.get("floor"):
        what = L["floor_stream_what"] if f["floor_name"] == "floor/stream" else L["floor_memcpy_what"]
        s += L["finding_of_floor"].format(
            percent=f"{f['bytes_per_second'] / f['floor'] * 100:.0f}", what=what, floor=rate(f["floor"])
        )
    return s + L["full_stop"]


def _spawn_ratio(L, f):
    return L["finding_spawn_ratio"].format(fork=ns(f["fork_ns"]), times=lead(L, f), thread=ns(f["thread_ns"]))


def _pool_ratio(L, f):
    return L["finding_pool_ratio"].format(
        pool=per_second(f["pool_tps"]), times=lead(L, f), spawn=per_second(f["spawn_tps"])
    )


def _scaling(L, f):
    what = L["scaling_what_" + f["group"]]
    s = L["finding_scaling"].format(
        what=what, n=f["n"], threads=f"{f['threads']:.2f}", processes=f"{f['processes']:.2f}"
    )
    if f["alike"]:
        return s + L["finding_scaling_alike"].format(what=what)
    return s + L["finding_scaling_better"].format(better=L["better_" + f["better"]])


def _ctx_ratio(L, f):
    return L["finding_ctx_ratio"].format(thread=ns(f["thread_ns"]), process=ns(f["process_ns"]), times=lead(L, f))


def _gil(L, f):
    s = L["finding_gil"].format(
        py_threads=f"{f['py_threads']:.2f}",
        py_processes=f"{f['py_processes']:.2f}",
        cpp_threads=f"{f['cpp_threads']:.2f}",
        cpp_processes=f"{f['cpp_processes']:.2f}",
    )
    return s + (L["finding_gil_unexplained"] if f["py_threads_helped"] else L["finding_gil_explained"])


def _load_capacity(L, f):
    parts = []
    for b in f["budgets"]:
        part = L["load_capacity_one"].format(budget=ns(b["budget_ns"]), best=b["best"], rate=per_second(b["rate"]))
        if b["second"]:
            part += L["load_capacity_runner_up"].format(second=b["second"], second_rate=per_second(b["second_rate"]))
        parts.append(part)
    return L["load_capacity_sentence"].format(
        size=f["size"], peer=f["peer"], pin=f["pin"], parts=L["load_capacity_joint"].join(parts)
    )


def _spin_vs_block(L, f):
    if f["rate"] is None:
        return L["finding_spin_vs_block_close"].format(spin=f["spin"], block=f["block"])
    return L["finding_spin_vs_block_part"].format(
        spin=f["spin"],
        block=f["block"],
        rate=per_second(f["rate"]),
        block_p99=ns(f["block_p99"]),
        spin_p99=ns(f["spin_p99"]),
        spin_cpu=ns(f["spin_cpu"]),
        block_cpu=ns(f["block_cpu"]),
    )


def _load_not_achieved(L, f):
    names = L["list_joint"].join(
        L["finding_not_achieved_item"].format(
            name=r["name"], achieved=per_second(r["achieved"]), offered=per_second(r["offered"])
        )
        for r in f[:6]
    )
    more = L["finding_not_achieved_more"].format(count=len(f) - 6) if len(f) > 6 else ""
    return L["finding_not_achieved"].format(count=len(f), names=names, more=more)


def _zero_copy(L, rows):
    parts = []
    for r in rows:
        if r["crossover"]:
            where = L["zero_copy_overtakes"].format(counterpart=r["counterpart"], crossover=size(r["crossover"]))
        else:
            where = L["zero_copy_never"].format(counterpart=r["counterpart"])
        at = f"{size(r['largest'])}: {times(r['ratio'])}"
        parts.append(L["zero_copy_part"].format(mechanism=r["mechanism"], where=where, at=at))
    return L["finding_zero_copy"].format(parts=L["clause_joint"].join(parts))


def _shm_claim(L, f):
    """The shared-memory claim with its evidence on both sides, and why, in a sentence a student follows."""
    s = L["finding_shm_claim"].format(
        pin=f["pin"],
        fastest=f["fastest"],
        fastest_ns=ns(f["fastest_ns"]),
        shared=L["shared_memory"] if f["fastest_shared"] else L["not_shared_memory"],
        best_kernel=f["best_kernel"],
        best_kernel_ns=ns(f["best_kernel_ns"]),
    )
    if f["slow_sleepers"]:
        slow = L["list_joint"].join(f"{m} {ns(v)}" for m, v in f["slow_sleepers"])
        s += L["finding_shm_claim_but"].format(slow=slow, best_kernel=f["best_kernel"])
    if f.get("why"):
        s += L["finding_shm_claim_why"].format(costs=L["list_joint"].join(kernel_cost_item(L, row) for row in f["why"]))
    return s


def count(x):
    """A count per round trip or operation: "4", "1.5", "0" below a twentieth (a stray wake-up, not the path)."""
    if x < 0.05:
        return "0"
    return f"{round(x):.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def kernel_cost_item(L, row):
    """ "pipe: 4 system calls, 2 sleeps", "shm_ring.spin: none", or without counted system calls, the sleeps."""
    sleeps = row["sleeps"]
    if "syscalls" not in row:
        return L["kernel_item_sleeps"].format(mechanism=row["mechanism"], sleeps=count(sleeps))
    if row["syscalls"] < 0.05 and sleeps < 0.05:
        return L["kernel_item_none"].format(mechanism=row["mechanism"])
    return L["kernel_item"].format(mechanism=row["mechanism"], syscalls=count(row["syscalls"]), sleeps=count(sleeps))


def _threads_io(L, f):
    def case(c):
        lang, task, speedup = c
        return L["threads_io_case"].format(lang=L["lang_" + lang], task=L["hw_task_" + task], times=times(speedup))

    s = L["finding_threads_io"].format(cases=L["list_joint"].join(case(c) for c in f["cases"]))
    if f["verdict"] == "partly":
        s += L["finding_threads_io_partly"].format(
            holds=L["list_joint"].join(case(c) for c in f["holds"]),
            fails=L["list_joint"].join(case(c) for c in f["fails"]),
        )
    return s


def _kernel_cost(L, f):
    s = L["finding_kernel_cost"].format(
        pin=f["pin"], costs=L["list_joint"].join(kernel_cost_item(L, row) for row in f["rows"])
    )
    if f["sleepers_p50"] and (f["awake_p50"] or f["spinning_p50"]):
        s += L["finding_kernel_cost_why"].format(
            sleepers=ns(f["sleepers_p50"]),
            awake=ns(f["awake_p50"]) if f["awake_p50"] else "—",
            spinning=ns(f["spinning_p50"]) if f["spinning_p50"] else "—",
        )
    return s


def _sqpoll_cost(L, f):
    syscalls = f["sqpoll_syscalls"] is not None and f["uring_syscalls"] is not None
    return L["finding_sqpoll" if syscalls else "finding_sqpoll_cpu"].format(
        sqpoll_syscalls=count(f["sqpoll_syscalls"] or 0),
        uring_syscalls=count(f["uring_syscalls"] or 0),
        sqpoll_cpu=ns(f["sqpoll_cpu"]),
        uring_cpu=ns(f["uring_cpu"]),
        poller=ns(f["poller_cpu"]),
        sqpoll_p50=ns(f["sqpoll_p50"]),
        uring_p50=ns(f["uring_p50"]),
    )


def _workers_kernel(L, f):
    parts = []
    if "fork_faults" in f:
        parts.append(L["finding_fork_faults"].format(fork=count(f["fork_faults"]), thread=count(f["thread_faults"])))
    if "ctx_thread" in f and "ctx_process" in f:
        t, p = f["ctx_thread"], f["ctx_process"]
        parts.append(
            L["finding_ctx_switches"].format(
                t_sleeps=f"{t['sleeps']:.2f}",
                t_involuntary=f"{t['involuntary']:.2f}",
                p_sleeps=f"{p['sleeps']:.2f}",
                p_involuntary=f"{p['involuntary']:.2f}",
            )
        )
    return "".join(parts)


def _memory_ratio(L, f):
    return L["finding_memory_ratio"].format(
        process_pss=kib(f["process_pss"]), process_rss=kib(f["process_rss"]), thread_pss=kib(f["thread_pss"])
    )


SENTENCES = {
    "latency_extremes": _latency_extremes,
    "shm_vs_pipe": _shm_vs_pipe,
    "best_throughput": _best_throughput,
    "spawn_ratio": _spawn_ratio,
    "pool_ratio": _pool_ratio,
    "cpu_scaling": _scaling,
    "io_scaling": _scaling,
    "ctx_ratio": _ctx_ratio,
    "gil": _gil,
    "load_capacity": _load_capacity,
    "spin_vs_block": _spin_vs_block,
    "load_not_achieved": _load_not_achieved,
    "zero_copy": _zero_copy,
    "shm_claim": _shm_claim,
    "memory_ratio": _memory_ratio,
    "kernel_cost": _kernel_cost,
    "sqpoll_cost": _sqpoll_cost,
    "workers_kernel": _workers_kernel,
    "threads_io": _threads_io,
}


def sentence(lang, key, finding):
    """The sentence of one finding (findings.all_findings' key and value) in `lang`, or "" for a key
    without one."""
    word = SENTENCES.get(key)
    return word(catalog.messages(lang), finding) if word else ""


def with_interval(fmt, figure):
    """A figure as "201 ns [190–215 ns]": the value, then its interval with the unit said once when both
    ends share it; the value alone when it has none. figure: (value, lo, hi)."""
    value, lo, hi = figure
    if lo is None or hi is None:
        return fmt(value)
    low, high = fmt(lo), fmt(hi)
    unit = high.partition(" ")[2]
    if unit and low.endswith(" " + unit):
        low = low[: -len(unit) - 1]
    return f"{fmt(value)} [{low}–{high}]"


# The harness's rule (harness/measure/percentile_rule): a percentile needs ten samples beyond it.
QUANTILES = {"p50_ns": 0.50, "p90_ns": 0.90, "p99_ns": 0.99, "p999_ns": 0.999}


def percentile(L, r, key):
    """A record's percentile with its interval, or why it is absent ("— (needs 10,000 samples, has 2,364)")."""
    if r.get(key) is not None:
        return with_interval(ns, (r[key], r.get(key + "_lo"), r.get(key + "_hi")))
    if r.get("samples") is None or key not in QUANTILES:
        return ns(None)
    needs = round(10 / (1 - QUANTILES[key]))
    return L["percentile_absent"].format(needs=f"{needs:,}", samples=f"{int(r['samples']):,}")


def decision_row(lang, d):
    """(need, pick with value, runner-up with value, price) for one decision of findings.decisions: a tie
    names every tied mechanism in the pick cell, joined by " ≈ "."""
    L = catalog.messages(lang)
    fmt = {"ns": ns, "bytes_per_second": rate, "per_second": per_second}[d["unit"]]
    need = L["need_" + d["need"]].format(budget=ns(d.get("budget_ns")), size=size(d.get("size", 0)))
    prices = []
    for p in d["price"]:
        key, _, library = p.partition(":")
        prices.append(L["price_" + key].format(library=library))
    pick = f"{' ≈ '.join(d['tied'])} ({with_interval(fmt, d['best_value'])})"
    second = f"{d['second']} ({with_interval(fmt, d['second_value'])})" if d["second"] else "—"
    return need, pick, second, L["clause_joint"].join(prices)


def py_value(field, v):
    """A Python-vs-C++ table cell: durations as durations, rates as rates."""
    if v is None:
        return "—"
    return rate(v) if field == "bytes_per_second" else per_second(v) if field == "items_per_second" else ns(v)


def _ms(x):
    return ns(x * 1e6)


def io_task_explanation(L, lang, r):
    """One language's file task or waiting task (analysis.homework.task_explained), explained from its times
    and its user and system time: how busy it kept the CPU, and in Python, the interpreter lock."""
    values = dict(
        lang=L["lang_" + r["lang"]],
        tasks=r["tasks"],
        sequential=_ms(r["sequential_ms"]),
        threads=_ms(r["threads_ms"]),
        processes=_ms(r["processes_ms"]),
        threads_speedup=faster(r["threads_speedup"], lang),
        processes_speedup=faster(r["processes_speedup"], lang),
    )
    if r["task"] == "wait":
        gil = L["homework_wait_gil"] if r["lang"] == "py" else ""
        return L["homework_wait"].format(gil=gil, **values)
    s = L["homework_io"].format(**values)
    if "user_per_line" in r:
        busy = "homework_io_line" if r["busy"] >= 0.5 else "homework_io_line_waits"
        s += L[busy].format(user=ns(r["user_per_line"]), system=ns(r["system_per_line"]), busy=f"{r['busy']:.0%}")
    if r["lang"] == "py" and r.get("user_share") is not None and "threads_system_per_line" in r:
        s += L["homework_io_gil"].format(
            user_share=f"{r['user_share']:.0%}",
            system=ns(r["system_per_line"]),
            threads_system=ns(r["threads_system_per_line"]),
        )
    return s


def homework_explanation(lang, table, spawn_ns, io_rows=None):
    """Why the homework times came out as they did, from the numbers themselves, as paragraphs: the CPU task
    from its times, each IO task of both languages from its own and its user and system time
    (analysis.homework)."""
    L = catalog.messages(lang)
    cpu = table.get("cpu", {})
    parts = []
    modes = {"sequential", "threads", "processes"}
    if modes <= cpu.keys():
        parts.append(
            L["homework_cpu"].format(
                one_task=f"{cpu['sequential'] / 10:.3g}",
                threads=f"{cpu['threads']:.3g}",
                processes=f"{cpu['processes']:.3g}",
                sequential=f"{cpu['sequential']:.3g}",
            )
        )
        if spawn_ns:
            parts.append(L["homework_spawn"].format(spawn=ns(spawn_ns)))
    paragraphs = ["".join(parts)] if parts else []
    return paragraphs + [io_task_explanation(L, lang, r).strip() for r in io_rows or []]
