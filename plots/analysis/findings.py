"""Conclusions computed from a run, never written by hand: each finding is a dict of the numbers it
rests on (plus the names they came from), and texts.py turns it into a sentence in English or Chinese.
A finding whose data the run lacks is simply absent."""
import math

from . import homework as homework_explained
from . import kernel_cost
from . import load
from . import python_vs_cpp
from . import uncertainty
from . import workers
from . import zero_copy
from ..model import query


def _p50(records, mech, pin, size=64, peer="process"):
    rows = query.ipc(records, "latency", peer=peer, pin=pin, size=size)
    return next((r["p50_ns"] for r in rows if query.mechanism(r) == mech and r.get("p50_ns")), None)


def _bytes_per_second(records, mech, pin, size=65536, peer="process"):
    rows = query.ipc(records, "throughput", peer=peer, pin=pin, size=size)
    return next((r["bytes_per_second"] for r in rows if query.mechanism(r) == mech and r.get("bytes_per_second")), None)


def latency_extremes(records, facts):
    pin, rows = query.latency_ranking(records)
    if len(rows) < 2:
        return None
    floor = query.one(records, query.FLOOR_CACHELINE)
    clock = query.one(records, "floor/clock")
    fastest = query.mechanism(rows[0])
    return {
        "pin": pin,
        "fastest": fastest,
        "fastest_ns": rows[0]["p50_ns"],
        "fastest_path": facts.get(fastest, {}).get("data_path"),
        "slowest": query.mechanism(rows[-1]),
        "slowest_ns": rows[-1]["p50_ns"],
        "floor_ns": floor["p50_ns"] if floor and floor.get("p50_ns") else None,
        "clock_ns": query.value_ns(clock) if clock else None,
        "clock_pair_ns": rows[0].get("clock_pair_ns"),
    }


def shm_claim(records, facts):
    """ "Shared memory is the fastest IPC", judged with its nuance from the facts (never the names): the
    fastest 64 B round trip and its data path, the fastest through the kernel, and the shared-memory
    mechanisms that sleep in the kernel between messages yet are no faster than that (within 10 %)."""
    pin, rows = query.latency_ranking(records)
    path = lambda r: facts.get(query.mechanism(r), {}).get("data_path")
    shared = [r for r in rows if path(r) == "shared_memory"]
    # Set against what also sleeps between messages: a kernel mechanism polled by a spinning receiver
    # (.busy) is the price of a core, not of the data path.
    kernel = [
        r
        for r in rows
        if path(r) in ("kernel_copy", "network_stack") and facts[query.mechanism(r)].get("waits", "blocks") == "blocks"
    ]
    if not shared or not kernel:
        return None
    best_kernel = kernel[0]
    sleepers = [r for r in shared if facts[query.mechanism(r)].get("waits") == "blocks"]
    slow = [(query.mechanism(r), r["p50_ns"]) for r in sleepers if r["p50_ns"] >= 0.9 * best_kernel["p50_ns"]]
    fastest_shared = path(rows[0]) == "shared_memory"
    verdict = "contradicted" if not fastest_shared else ("partly" if slow else "confirmed")
    # Why, from what each cost the kernel: the fastest, the best through the kernel, a slow sleeper.
    counted = {row["mechanism"]: row for row in kernel_cost.rows(records)}
    named = [query.mechanism(rows[0]), query.mechanism(best_kernel), *(m for m, _ in slow[:1])]
    return {
        "why": [counted[m] for m in named if m in counted],
        "pin": pin,
        "fastest": query.mechanism(rows[0]),
        "fastest_ns": rows[0]["p50_ns"],
        "fastest_shared": fastest_shared,
        "best_kernel": query.mechanism(best_kernel),
        "best_kernel_ns": best_kernel["p50_ns"],
        "slow_sleepers": slow[:4],
        "verdict": verdict,
    }


def _lead(better, worse, field, lower_is_better=True):
    """How many times `better` beats `worse` on `field`, with the interval and whether it is beyond the
    noise (uncertainty.compare): the keys a ratio's sentence reads."""
    c = uncertainty.compare(better, worse, field, lower_is_better)
    return {"ratio": c.ratio, "ratio_lo": c.lo, "ratio_hi": c.hi, "decided": c.decided}


def _latency_record(records, mech, pin, size=64):
    rows = query.ipc(records, "latency", peer="process", pin=pin, size=size)
    return next((r for r in rows if query.mechanism(r) == mech and r.get("p50_ns")), None)


def shm_vs_pipe(records):
    pin = query.preferred_pin(records, "latency")
    shm, pipe = _latency_record(records, "shm_ring.spin", pin), _latency_record(records, "pipe", pin)
    if not shm or not pipe:
        return None
    return {"pin": pin, "shm_ns": shm["p50_ns"], "pipe_ns": pipe["p50_ns"], **_lead(shm, pipe, "p50_ns")}


def best_throughput(records):
    pin = query.preferred_pin(records, "throughput")
    rows = [
        r for r in query.ipc(records, "throughput", peer="process", pin=pin, size=65536) if r.get("bytes_per_second")
    ]
    if not rows:
        return None
    best = max(rows, key=lambda r: r["bytes_per_second"])
    floor_name, floor = query.throughput_floor(records)
    return {
        "pin": pin,
        "mechanism": query.mechanism(best),
        "bytes_per_second": best["bytes_per_second"],
        "floor": floor.get(65536),
        "floor_name": floor_name,
    }


def spawn_ratio(records):
    fork, thread = query.one(records, "spawn/fork"), query.one(records, "spawn/pthread")
    if not fork or not thread:
        return None
    return {
        "fork_ns": query.value_ns(fork),
        "thread_ns": query.value_ns(thread),
        **_lead(thread, fork, "real_time"),
    }


def pool_ratio(records):
    pool, spawn = query.one(records, "pool/process/map"), query.one(records, "pool/process/spawn_per_task")
    if not pool or not spawn or not spawn.get("items_per_second"):
        return None
    return {
        "pool_tps": pool["items_per_second"],
        "spawn_tps": spawn["items_per_second"],
        **_lead(pool, spawn, "items_per_second", lower_is_better=False),
    }


def scaling(records, group, kernel, cpus):
    """Speed-ups of threads and processes at n = the CPU count (or the largest n below it)."""
    series = workers.scaling_series(records, group)
    threads, processes = series.get((kernel, "thread")), series.get((kernel, "process"))
    if not threads or not processes:
        return None
    ns = sorted({n for n, _ in threads} & {n for n, _ in processes})
    at = max([n for n in ns if not cpus or n <= cpus] or ns)
    t, p = dict(threads)[at], dict(processes)[at]
    return {
        "group": group,
        "kernel": kernel,
        "n": at,
        "threads": t,
        "processes": p,
        "alike": abs(t - p) <= 0.15 * max(t, p),
        "better": "threads" if t > p else "processes",
    }


def ctx_ratio(records):
    t = query.one(records, "ctx/pipe_token/peer:thread/pin:same")
    p = query.one(records, "ctx/pipe_token/peer:process/pin:same")
    if not t or not p or not t.get("ns_per_op") or not p.get("ns_per_op"):
        return None
    return {"thread_ns": t["ns_per_op"], "process_ns": p["ns_per_op"], **_lead(t, p, "ns_per_op")}


def memory_ratio(records):
    rows = query.family(records, "memory")
    by = {}
    for r in rows:
        if "pss_bytes_per_worker" in r:
            by.setdefault(r["params"].get("workers"), []).append((int(r["params"]["n"]), r))
    if "thread" not in by or "process" not in by:
        return None
    t = max(by["thread"], key=lambda nr: nr[0])[1]
    p = max(by["process"], key=lambda nr: nr[0])[1]
    thread_pss = max(t["pss_bytes_per_worker"], 1)
    return {
        "n": int(p["params"]["n"]),
        "thread_pss": t["pss_bytes_per_worker"],
        "process_pss": p["pss_bytes_per_worker"],
        "process_rss": p["rss_bytes_per_worker"],
        "ratio": p["pss_bytes_per_worker"] / thread_pss,
    }


def homework(records):
    table = workers.homework_rows(records)
    return table or None


def load_capacity(records, budgets_ns):
    """Per p99 budget: the mechanism that sustained the highest rate within it, and the runner-up."""
    common = load.capacity_key(records)
    out = []
    for b in budgets_ns:
        rows = load.budget_rows(records, b)
        if rows:
            out.append(
                {
                    "budget_ns": b,
                    "best": rows[0][0],
                    "rate": rows[0][1],
                    "second": rows[1][0] if len(rows) > 1 else None,
                    "second_rate": rows[1][1] if len(rows) > 1 else None,
                }
            )
    return {"budgets": out, "peer": common[0], "pin": common[1], "size": common[2]} if out else None


def _p99_at(rows, rate):
    """p99 of the point whose offered rate is nearest `rate` (within 20 %), or None."""
    near = [r for r in rows if abs(r.get("offered_rate", 0) - rate) <= 0.2 * rate]
    return min(near, key=lambda r: abs(r["offered_rate"] - rate)) if near else None


def spin_vs_block(records, facts):
    """Where the spinning shared-memory mechanism and the best blocking one part: the lowest offered rate both
    ran at where the blocking one's p99 is at least twice the spinning one's, and both ends' CPU per message
    there. Which is which comes from the facts (waits: spins / blocks), not from names."""
    by, _ = load.points(records)
    shm = {m: rs for m, rs in by.items() if facts.get(m, {}).get("data_path") == "shared_memory"}
    spinning = [m for m in shm if facts[m].get("waits") == "spins"]
    blocking = [m for m in shm if facts[m].get("waits") == "blocks"]
    if not spinning or not blocking:
        return None
    spin = max(spinning, key=lambda m: load.sustained(shm[m], 100_000) or 0)
    block = max(blocking, key=lambda m: load.sustained(shm[m], 100_000) or 0)
    for r in sorted(shm[block], key=lambda r: r.get("offered_rate", 0)):
        s = _p99_at(shm[spin], r.get("offered_rate", 0))
        if s and r.get("p99_ns") and s.get("p99_ns") and r["p99_ns"] >= 2 * s["p99_ns"]:
            return {
                "spin": spin,
                "block": block,
                "rate": r["offered_rate"],
                "spin_p99": s["p99_ns"],
                "block_p99": r["p99_ns"],
                "spin_cpu": s.get("cpu_ns_per_msg"),
                "block_cpu": r.get("cpu_ns_per_msg"),
            }
    return {"spin": spin, "block": block, "rate": None}


def not_achieved(records):
    """The load points whose offered rate was not kept (below 95 %): named, never left to be guessed."""
    rows = [r for r in query.family(records, "load") if r.get("rate_not_achieved")]
    return [{"name": r["name"], "offered": r["offered_rate"], "achieved": r["achieved_rate"]} for r in rows] or None


def _price(mech, facts):
    """What choosing a mechanism costs beyond its numbers, as keys texts.py words: from its facts."""
    f = facts.get(mech, {})
    price = []
    if f.get("waits") == "spins":
        price.append("spins")
    elif f.get("waits") == "hybrid":
        price.append("hybrid")
    elif f.get("waits") == "kernel_polls":
        price.append("kernel_polls")
    if f.get("data_path") == "shared_memory":
        price.append("shared_memory")
    if f.get("zero_copy"):
        price.append("zero_copy")
    if f.get("library"):
        price.append("library:" + f["library"])
    return price or ["none"]


def _figure(r, field):
    """(value, lo, hi) of a record's figure; lo and hi are None without an interval."""
    lo_hi = uncertainty.interval(r, field) or (None, None)
    return r[field], lo_hi[0], lo_hi[1]


def _pick(need, ranked, field, unit, facts, lower_is_better=True):
    """A decision row from `ranked` (records, best first): the best, or every mechanism it cannot be told
    apart from (a tie, uncertainty.tied_with), the first after them as the runner-up, each figure with its
    interval, and the price of the best. None with fewer than two to choose between."""
    if len(ranked) < 2:
        return None
    n = uncertainty.tied_with(ranked, field, lower_is_better)
    second = ranked[n] if n < len(ranked) else None
    best = query.mechanism(ranked[0])
    lead = uncertainty.compare(ranked[0], second, field, lower_is_better) if second else None
    return {
        "need": need,
        "best": best,
        "tied": [query.mechanism(r) for r in ranked[:n]],
        "best_value": _figure(ranked[0], field),
        "second": query.mechanism(second) if second else None,
        "second_value": _figure(second, field) if second else None,
        "lead": lead,
        "unit": unit,
        "price": _price(best, facts),
    }


def _answer_size(sizes, wanted):
    """The size a row answers at: `wanted` when the run measured it, else the measured size nearest it."""
    return min(sizes, key=lambda s: (abs(math.log2(s / wanted)), -s)) if sizes else None


def _by_value(rows, field, lower_is_better=True):
    rows = [r for r in rows if r.get(field)]
    return sorted(rows, key=lambda r: r[field] if lower_is_better else -r[field])


def decisions(records, facts, budgets_ns):
    """ "Which should I use?", answered from this run at the sizes it measured (64 B for latency and CPU,
    64 KiB for throughput, 1 MiB and up for large messages, or the nearest size measured): per need, the best
    mechanism or the tied ones, the runner-up and the price of the best (it spins, it needs shared memory, a
    library). Process peers, the preferred pin; only mechanisms measured at that size are compared."""
    out = []
    pin = query.preferred_pin(records, "latency")
    lat_sizes = sorted({int(r["params"]["size"]) for r in query.ipc(records, "latency", peer="process", pin=pin)})
    lat_size = _answer_size(lat_sizes, 64)
    if lat_size:
        lat = query.ipc(records, "latency", peer="process", pin=pin, size=lat_size)
        row = _pick("latency", _by_value(lat, "p50_ns"), "p50_ns", "ns", facts)
        out.append(row and dict(row, size=lat_size))
        row = _pick("cpu", _by_value(lat, "cpu_ns_per_msg"), "cpu_ns_per_msg", "ns", facts)
        out.append(row and dict(row, size=lat_size))
    tp_pin = query.preferred_pin(records, "throughput")
    tp_sizes = sorted({int(r["params"]["size"]) for r in query.ipc(records, "throughput", peer="process", pin=tp_pin)})
    small = [s for s in tp_sizes if s < (1 << 20)]
    tp_size = _answer_size(small, 65536)
    if tp_size:
        tp = query.ipc(records, "throughput", peer="process", pin=tp_pin, size=tp_size)
        row = _pick(
            "throughput", _by_value(tp, "bytes_per_second", False), "bytes_per_second", "bytes_per_second", facts, False
        )
        out.append(row and dict(row, size=tp_size))
    if budgets_ns:
        # The largest budget: under a smaller one a VM's wake-ups decide whether a rate passes (the capacity
        # within 100 µs of one mechanism went 0, 0.8, 1.2 M/s in three rounds here); the load section
        # gives every budget's capacities with their intervals.
        budget = max(budgets_ns)
        row = _pick("load", load.capacities(records, budget), "capacity", "per_second", facts, False)
        out.append(row and dict(row, budget_ns=budget))
    large = [s for s in tp_sizes if s >= (1 << 20)]
    # The large size most mechanisms ran at (1 MiB in the sweep; the zero-copy sizes have few rivals).
    counted = {s: len(query.ipc(records, "throughput", peer="process", pin=tp_pin, size=s)) for s in large}
    if counted:
        size = max(counted, key=lambda s: (counted[s], s == (1 << 20)))
        rows = query.ipc(records, "throughput", peer="process", pin=tp_pin, size=size)
        row = _pick(
            "large", _by_value(rows, "bytes_per_second", False), "bytes_per_second", "bytes_per_second", facts, False
        )
        out.append(row and dict(row, size=size))
    return [r for r in out if r] or None


def all_findings(records, cpus, facts, budgets_ns=load.DEFAULT_BUDGETS_NS):
    return {
        "latency_extremes": latency_extremes(records, facts),
        "shm_vs_pipe": shm_vs_pipe(records),
        "shm_claim": shm_claim(records, facts),
        "best_throughput": best_throughput(records),
        "spawn_ratio": spawn_ratio(records),
        "pool_ratio": pool_ratio(records),
        "cpu_scaling": scaling(records, "cpu", "count", cpus),
        "io_scaling": scaling(records, "io", "file", cpus),
        "ctx_ratio": ctx_ratio(records),
        "memory_ratio": memory_ratio(records),
        "homework": homework(records),
        "gil": python_vs_cpp.gil_finding(records),
        "load_capacity": load_capacity(records, budgets_ns),
        "spin_vs_block": spin_vs_block(records, facts),
        "load_not_achieved": not_achieved(records),
        "zero_copy": zero_copy.comparisons(records, facts) or None,
        "kernel_cost": kernel_cost.explained(records),
        "sqpoll_cost": kernel_cost.sqpoll(records),
        "workers_kernel": kernel_cost.workers(records),
        "threads_io": homework_explained.threads_for_io(records),
        "homework_io": homework_explained.explained(records),
    }


# The course's claims (docs/course.md), each judged from a finding: "confirmed", "contradicted",
# "partly" (the evidence names cases on both sides), or None: not measured in this run (or, for the
# shared-memory claim, a run without the mechanisms' facts).
def claims(f):
    def verdict(key, test):
        return None if f.get(key) is None else ("confirmed" if test(f[key]) else "contradicted")

    shm = f.get("shm_claim")
    return [
        # "Much more": at least 3 times, at the near end of the ratio's interval.
        ("process_creation", verdict("spawn_ratio", lambda x: x.get("ratio_lo", x["ratio"]) >= 3), "spawn_ratio"),
        ("pools", verdict("pool_ratio", lambda x: x.get("ratio_lo", x["ratio"]) >= 3), "pool_ratio"),
        ("shm_fastest", shm["verdict"] if shm else None, "shm_claim"),
        ("processes_use_cores", verdict("cpu_scaling", lambda x: x["processes"] >= workers.SPED_UP), "cpu_scaling"),
        ("threads_no_cpu", verdict("cpu_scaling", lambda x: x["threads"] < workers.SPED_UP), "cpu_scaling"),
        # On the homework's IO tasks in both languages when the run has them ("partly" where they
        # disagree), else on io/file's scaling.
        (
            ("threads_suit_io", f["threads_io"]["verdict"], "threads_io")
            if f.get("threads_io")
            else (
                "threads_suit_io",
                verdict("io_scaling", lambda x: x["threads"] > 1 and x["threads"] >= x["processes"]),
                "io_scaling",
            )
        ),
        ("python_threads_no_cpu", verdict("gil", lambda x: not x["py_threads_helped"]), "gil"),
    ]


COURSE_TABLE = [  # (mechanism, the course's row it stands for, the course's verdict)
    ("pipe", "pipe", "average"),
    ("posix_mq", "queue", "average"),
    ("sysv_mq", "queue", "average"),
    ("posix_sem+shm", "shm", "fast"),
    ("shm_ring.futex", "shm", "fast"),
    ("shm_ring.spin", "shm", "fast"),
]


def course_table(records, facts):
    """Where a mechanism's data lives comes from its facts: in memory both sides map ("user"), or
    in the kernel (copied through it, or through the network stack)."""
    pin = query.preferred_pin(records, "latency")
    rows = []
    for mech, kind, notes in COURSE_TABLE:
        p50 = _p50(records, mech, pin)
        path = facts.get(mech, {}).get("data_path")
        if p50 is None or path is None:
            continue
        where = "user" if path == "shared_memory" else "kernel"
        rows.append(
            {
                "mechanism": mech,
                "kind": kind,
                "where": where,
                "notes": notes,
                "p50_ns": p50,
                "bytes_per_second": _bytes_per_second(records, mech, query.preferred_pin(records, "throughput")),
            }
        )
    return rows
