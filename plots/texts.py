"""The sentences that carry the computed findings, in English and Chinese (the course's language), and
the numbers formatted the same way in both; labels and headings are in the catalogs (catalog.py)."""
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
    if ratio >= 1:
        return f"快 {times(ratio)}" if lang == "zh" else f"{times(ratio)} faster"
    return f"慢 {times(1 / ratio)}" if lang == "zh" else f"{times(1 / ratio)} slower"


def kib(b):
    return f"{b / 1024:.0f} KiB" if b >= 1024 else f"{b:.0f} B"


def size(n):
    """A message size: 64 B, 64 KiB, 16 MiB."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} B"


def _shm_claim(lang, f):
    """The shared-memory claim with its evidence on both sides, and why, in a sentence a student follows."""
    sleepers = "、".join if lang == "zh" else ", ".join
    slow = sleepers(f"{m} {ns(v)}" for m, v in f["slow_sleepers"])
    if lang == "zh":
        s = (
            f"64 B 往返（进程对端，绑核 {f['pin']}）：最快的是 {f['fastest']}（{ns(f['fastest_ns'])}，"
            f"{'共享内存' if f['fastest_shared'] else '不是共享内存'}），在消息之间同样休眠的内核机制中最快的是 {f['best_kernel']}"
            f"（{ns(f['best_kernel_ns'])}）。"
        )
        if f["slow_sleepers"]:
            s += f"但每条消息都要在内核里唤醒一次对方的共享内存机制（{slow}）并不比 {f['best_kernel']} 快：" "小消息的代价在于唤醒，而不在于复制。"
        return s
    s = (
        f"At 64 B (process peers, pin {f['pin']}) the fastest round trip is {f['fastest']} "
        f"({ns(f['fastest_ns'])}, {'shared memory' if f['fastest_shared'] else 'not shared memory'}); the "
        f"fastest through the kernel that also sleeps between messages is {f['best_kernel']} "
        f"({ns(f['best_kernel_ns'])})."
    )
    if f["slow_sleepers"]:
        s += (
            f" But shared memory that wakes its peer through the kernel for every message ({slow}) is no "
            f"faster than {f['best_kernel']}: for small messages the wake-up, not the copy, decides."
        )
    return s


def decision_row(lang, d):
    """(need, pick with value, runner-up with value, price) for one decision of findings.decisions."""
    L = catalog.messages(lang)
    fmt = {"ns": ns, "bytes_per_second": rate, "per_second": per_second}[d["unit"]]
    need = L["need_" + d["need"]].format(budget=ns(d.get("budget_ns")), size=size(d.get("size", 0)))
    prices = []
    for p in d["price"]:
        key, _, library = p.partition(":")
        prices.append(L["price_" + key].format(library=library))
    second = f"{d['second']} ({fmt(d['second_value'])})" if d["second"] else "—"
    return need, f"{d['best']} ({fmt(d['best_value'])})", second, ("；" if lang == "zh" else "; ").join(prices)


def _zero_copy(lang, rows):
    parts = []
    for r in rows:
        at = f"{size(r['largest'])}: {times(r['ratio'])}"
        if lang == "zh":
            where = (
                f"从 {size(r['crossover'])} 起超过 {r['counterpart']}"
                if r["crossover"]
                else f"在所测的任何大小都没有超过 {r['counterpart']}"
            )
            parts.append(f"{r['mechanism']} {where}（{at}）")
        else:
            where = (
                f"overtakes {r['counterpart']} from {size(r['crossover'])}"
                if r["crossover"]
                else f"never overtakes {r['counterpart']} at the sizes measured"
            )
            parts.append(f"{r['mechanism']} {where} ({at} its throughput)")
    if lang == "zh":
        return "零拷贝传递与复制的比较（进程对端，吞吐量）：" + "；".join(parts) + "。"
    return "Zero-copy hand-off against copying (process peers, throughput): " + "; ".join(parts) + "."


def _load_capacity(lang, f):
    L = catalog.messages(lang)
    sentence_, one, runner_up, joint = (L["load_capacity_" + k] for k in ("sentence", "one", "runner_up", "joint"))
    parts = []
    for b in f["budgets"]:
        part = one.format(budget=ns(b["budget_ns"]), best=b["best"], rate=per_second(b["rate"]))
        if b["second"]:
            part += runner_up.format(second=b["second"], second_rate=per_second(b["second_rate"]))
        parts.append(part)
    return sentence_.format(size=f["size"], peer=f["peer"], pin=f["pin"], parts=joint.join(parts))


def _en(key, f):
    if key == "latency_extremes":
        s = (
            f"At 64 B (process peer, pin {f['pin']}) the fastest round trip is {f['fastest']} at "
            f"{ns(f['fastest_ns'])} and the slowest {f['slowest']} at {ns(f['slowest_ns'])}."
        )
        if f.get("floor_ns"):
            s += f" The machine's floor (a cache line bounced between two CPUs) is {ns(f['floor_ns'])}."
        if f.get("clock_ns"):
            s += f" Reading the clock costs {ns(f['clock_ns'])}"
            if f.get("clock_pair_ns") is not None:
                s += f"; each round trip has its two readings' measured cost ({ns(f['clock_pair_ns'])}) taken off"
            s += "."
        return s
    if key == "shm_vs_pipe":
        return (
            f"Shared memory (shm_ring.spin) round trip at 64 B: {ns(f['shm_ns'])}, "
            f"{faster(f['ratio'])} than pipe ({ns(f['pipe_ns'])})."
        )
    if key == "best_throughput":
        s = f"The highest 64 KiB throughput is {f['mechanism']}'s {rate(f['bytes_per_second'])}"
        if f.get("floor"):
            what = "the cross-CPU streaming floor" if f["floor_name"] == "floor/stream" else "a single-core memcpy"
            s += f", {f['bytes_per_second'] / f['floor'] * 100:.0f} % of {what} ({rate(f['floor'])})"
        return s + "."
    if key == "spawn_ratio":
        return (
            f"Creating a process (fork + waitpid, {ns(f['fork_ns'])}) costs {times(f['ratio'])} a thread "
            f"(pthread_create + join, {ns(f['thread_ns'])})."
        )
    if key == "pool_ratio":
        return (
            f"A process pool runs small tasks at {per_second(f['pool_tps'])}, {times(f['ratio'])} the rate of "
            f"one new process per task ({per_second(f['spawn_tps'])})."
        )
    if key in ("cpu_scaling", "io_scaling"):
        what = "CPU-bound" if key == "cpu_scaling" else "IO-bound (file)"
        s = (
            f"{what} work, {f['n']} tasks in {f['n']} workers: threads speed up {f['threads']:.2f}x, "
            f"processes {f['processes']:.2f}x"
        )
        if f["alike"]:
            return s + f" — threads and processes scale alike for {what} C++ work."
        better = "threads" if f["threads"] > f["processes"] else "processes"
        return s + f" — {better} scale better here."
    if key == "ctx_ratio":
        return (
            f"A context switch costs {ns(f['thread_ns'])} between threads and {ns(f['process_ns'])} between "
            f"processes ({times(f['ratio'])})."
        )
    if key == "gil":
        s = (
            f"The CPU-bound homework ran {f['py_threads']:.2f}x as fast in 10 Python threads as sequentially, "
            f"{f['py_processes']:.2f}x in 10 processes; in C++, threads {f['cpp_threads']:.2f}x and processes "
            f"{f['cpp_processes']:.2f}x."
        )
        if f["py_threads"] < 1.3:
            return s + (
                " Python threads take turns holding the global interpreter lock, so they cannot use a second "
                "CPU; C++ threads can."
            )
        return s + " Python threads sped the loop up, which the GIL alone does not explain: check this run's noise."
    if key == "load_capacity":
        return _load_capacity("en", f)
    if key == "spin_vs_block":
        if f["rate"] is None:
            return (
                f"{f['spin']} (spinning) and {f['block']} (blocking) stay within 2x of each other's p99 at "
                "every rate both ran."
            )
        return (
            f"{f['spin']} (spinning) and {f['block']} (sleeping in the kernel) part at {per_second(f['rate'])}: "
            f"there {f['block']}'s p99 is {ns(f['block_p99'])} against {ns(f['spin_p99'])}, while spinning "
            f"costs {ns(f['spin_cpu'])} of CPU per message against {ns(f['block_cpu'])}."
        )
    if key == "load_not_achieved":
        names = ", ".join(f"{r['name']} ({per_second(r['achieved'])} of {per_second(r['offered'])})" for r in f[:6])
        more = f" and {len(f) - 6} more" if len(f) > 6 else ""
        return (
            f"{len(f)} load points did not keep their offered rate (below 95 %): {names}{more}; their "
            "latencies are those of a mechanism past its capacity."
        )
    if key == "zero_copy":
        return _zero_copy("en", f)
    if key == "shm_claim":
        return _shm_claim("en", f)
    if key == "memory_ratio":
        return (
            f"One more process adds {kib(f['process_pss'])} of proportional memory (PSS; "
            f"{kib(f['process_rss'])} resident), one more thread {kib(f['thread_pss'])}."
        )
    return ""


def _zh(key, f):
    if key == "latency_extremes":
        s = (
            f"64 B 消息（进程对端，绑核 {f['pin']}）：往返最快的是 {f['fastest']}，{ns(f['fastest_ns'])}；"
            f"最慢的是 {f['slowest']}，{ns(f['slowest_ns'])}。"
        )
        if f.get("floor_ns"):
            s += f"本机下限（两个 CPU 之间来回传递一个缓存行）为 {ns(f['floor_ns'])}。"
        if f.get("clock_ns"):
            s += f"读一次时钟耗时 {ns(f['clock_ns'])}"
            if f.get("clock_pair_ns") is not None:
                s += f"；每次往返已减去两次读时钟的实测开销（{ns(f['clock_pair_ns'])}）"
            s += "。"
        return s
    if key == "shm_vs_pipe":
        return f"共享内存（shm_ring.spin）64 B 往返 {ns(f['shm_ns'])}，比管道（{ns(f['pipe_ns'])}）" f"{faster(f['ratio'], 'zh')}。"
    if key == "best_throughput":
        s = f"64 KiB 吞吐量最高的是 {f['mechanism']}，{rate(f['bytes_per_second'])}"
        if f.get("floor"):
            what = "跨 CPU 流式传输下限" if f["floor_name"] == "floor/stream" else "单核 memcpy"
            s += f"，相当于{what}（{rate(f['floor'])}）的 {f['bytes_per_second'] / f['floor'] * 100:.0f} %"
        return s + "。"
    if key == "spawn_ratio":
        return (
            f"创建一个进程（fork + waitpid，{ns(f['fork_ns'])}）的开销是创建线程（pthread_create + join，"
            f"{ns(f['thread_ns'])}）的 {times(f['ratio'])}。"
        )
    if key == "pool_ratio":
        return (
            f"进程池执行小任务的速度为 {per_second(f['pool_tps'])}，是每个任务新建一个进程"
            f"（{per_second(f['spawn_tps'])}）的 {times(f['ratio'])}。"
        )
    if key in ("cpu_scaling", "io_scaling"):
        what = "计算密集型" if key == "cpu_scaling" else "IO 密集型（文件）"
        s = f"{what}任务，{f['n']} 个任务分给 {f['n']} 个执行者：多线程加速 {f['threads']:.2f}x，" f"多进程加速 {f['processes']:.2f}x"
        if f["alike"]:
            return s + f"——在 C++ 中，{what}任务用线程和进程的扩展效果相近。"
        better = "多线程" if f["threads"] > f["processes"] else "多进程"
        return s + f"——这里{better}扩展得更好。"
    if key == "ctx_ratio":
        return f"一次上下文切换：线程之间 {ns(f['thread_ns'])}，进程之间 {ns(f['process_ns'])}" f"（{times(f['ratio'])}）。"
    if key == "gil":
        s = (
            f"计算密集型作业：10 个 Python 线程比依次执行快 {f['py_threads']:.2f}x，10 个进程快 "
            f"{f['py_processes']:.2f}x；C++ 中线程 {f['cpp_threads']:.2f}x，进程 {f['cpp_processes']:.2f}x。"
        )
        if f["py_threads"] < 1.3:
            return s + "Python 线程轮流持有全局解释器锁（GIL），无法利用第二个 CPU；C++ 线程可以。"
        return s + "Python 线程出现了加速，这不能仅用 GIL 解释：请检查本次运行的噪声。"
    if key == "load_capacity":
        return _load_capacity("zh", f)
    if key == "spin_vs_block":
        if f["rate"] is None:
            return f"{f['spin']}（自旋）与 {f['block']}（阻塞）在两者都测过的每个速率下，p99 相差都不到 2 倍。"
        return (
            f"{f['spin']}（自旋）与 {f['block']}（在内核中睡眠）在 {per_second(f['rate'])} 分开："
            f"此时 {f['block']} 的 p99 为 {ns(f['block_p99'])}，{f['spin']} 为 {ns(f['spin_p99'])}；"
            f"而自旋每条消息花费 {ns(f['spin_cpu'])} 的 CPU，阻塞方式为 {ns(f['block_cpu'])}。"
        )
    if key == "load_not_achieved":
        names = "、".join(f"{r['name']}（{per_second(r['achieved'])}，计划 {per_second(r['offered'])}）" for r in f[:6])
        more = f" 等另外 {len(f) - 6} 项" if len(f) > 6 else ""
        return f"{len(f)} 个负载测试点没有达到计划速率（低于 95 %）：{names}{more}；它们的延迟是机制超出容量后的延迟。"
    if key == "zero_copy":
        return _zero_copy("zh", f)
    if key == "shm_claim":
        return _shm_claim("zh", f)
    if key == "memory_ratio":
        return (
            f"每多一个进程增加 {kib(f['process_pss'])} 按比例分摊的内存（PSS；驻留 {kib(f['process_rss'])}），"
            f"每多一个线程增加 {kib(f['thread_pss'])}。"
        )
    return ""


def sentence(lang, key, finding):
    return (_zh if lang == "zh" else _en)(key, finding)


def py_value(field, v):
    """A Python-vs-C++ table cell: durations as durations, rates as rates."""
    if v is None:
        return "—"
    return rate(v) if field == "bytes_per_second" else per_second(v) if field == "items_per_second" else ns(v)


def homework_explanation(lang, table, spawn_ns):
    """Why the homework times came out as they did, from the numbers themselves."""
    cpu, io = table.get("cpu", {}), table.get("io", {})
    parts = []
    if {"sequential", "threads", "processes"} <= cpu.keys():
        one_task = cpu["sequential"] / 10
        if lang == "zh":
            parts.append(
                f"计算任务：一次任务约 {one_task:.3g} ms；10 个线程用时 {cpu['threads']:.3g} ms，"
                f"10 个进程用时 {cpu['processes']:.3g} ms（依次执行 {cpu['sequential']:.3g} ms）。"
                "C++ 线程没有全局解释器锁，可以和进程一样同时使用多个核；"
            )
            if spawn_ns:
                parts.append(f"但创建一个进程要 {ns(spawn_ns)}，任务越短，这部分开销越显眼。")
        else:
            parts.append(
                f"CPU task: one task takes about {one_task:.3g} ms; 10 threads took {cpu['threads']:.3g} ms "
                f"and 10 processes {cpu['processes']:.3g} ms (sequential {cpu['sequential']:.3g} ms). C++ "
                "threads have no global interpreter lock, so they use several cores just as processes do;"
            )
            if spawn_ns:
                parts.append(f" but creating one process costs {ns(spawn_ns)}, which weighs more the shorter the task.")
    if {"sequential", "threads", "processes"} <= io.keys():
        if lang == "zh":
            parts.append(
                f"IO 任务：依次执行 {io['sequential']:.3g} ms，10 个线程 {io['threads']:.3g} ms，"
                f"10 个进程 {io['processes']:.3g} ms：任务大多在等待内核，线程和进程都能把等待重叠起来。"
            )
        else:
            parts.append(
                f" IO task: sequential {io['sequential']:.3g} ms, 10 threads {io['threads']:.3g} ms, "
                f"10 processes {io['processes']:.3g} ms: the tasks mostly wait on the kernel, and both "
                "threads and processes overlap those waits."
            )
    return "".join(parts)
