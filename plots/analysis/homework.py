"""The homework explained from its own numbers: for each language (C++ homework/*, Python py/homework/*), how
the file task and the task that only waits scaled with threads and processes, what one line of the file task
cost in user and in system time, and how much of the time it ran alone it kept the CPU busy; then the course's
"threads suit IO-bound work" judged on both languages' evidence, saying which kind of IO it holds for."""
from . import workers
from ..model import query

LANGUAGES = {"cpp": ("homework",), "py": ("py", "homework")}


def _by_mode(records, prefix, task):
    """{mode: record} of one homework task: sequential, threads, processes."""
    return {workers.homework_mode(r, prefix): r for r in query.family(records, *prefix, task)}


def _speedup(modes, parallel):
    if "sequential" not in modes or parallel not in modes:
        return None
    return query.value_ns(modes["sequential"]) / query.value_ns(modes[parallel])


def task_explained(records, lang, task):
    """Times (ms), speed-ups, and for a task with lines the cost of one line (ns) alone and in threads, and
    the share of the time it ran alone that it kept a CPU busy. None unless it ran in all three modes."""
    modes = _by_mode(records, LANGUAGES[lang], task)
    if not {"sequential", "threads", "processes"} <= modes.keys():
        return None
    seq, thr = modes["sequential"], modes["threads"]
    tasks = seq.get("tasks") or 1
    out = {
        "lang": lang,
        "task": task,
        "tasks": int(tasks),
        **{mode + "_ms": query.value_ns(r) / 1e6 for mode, r in modes.items()},
        "threads_speedup": _speedup(modes, "threads"),
        "processes_speedup": _speedup(modes, "processes"),
    }
    if seq.get("user_ns_per_op") is not None and seq.get("system_ns_per_op") is not None:
        cpu_per_task = seq["user_ns_per_op"] + seq["system_ns_per_op"]
        out["busy"] = min(cpu_per_task / (query.value_ns(seq) / tasks), 1.0)
        out["user_share"] = seq["user_ns_per_op"] / cpu_per_task if cpu_per_task else None
        lines = seq.get("lines")
        if lines:
            out["user_per_line"] = seq["user_ns_per_op"] / lines
            out["system_per_line"] = seq["system_ns_per_op"] / lines
            if thr.get("system_ns_per_op") is not None:
                out["threads_system_per_line"] = thr["system_ns_per_op"] / lines
    return out


def explained(records):
    """[task_explained] for the file task and the waiting task, C++ then Python, those the run has."""
    rows = [task_explained(records, lang, task) for lang in LANGUAGES for task in ("io", "wait")]
    return [r for r in rows if r] or None


def threads_for_io(records):
    """ "Threads suit IO-bound work" on the evidence of both languages: threads' speed-up over one after
    another for each IO task; confirmed where every one sped up, contradicted where none did, partly
    otherwise, with the cases it holds for and those it does not."""
    rows = explained(records) or []
    cases = [(r["lang"], r["task"], r["threads_speedup"]) for r in rows if r["threads_speedup"]]
    if not cases:
        return None
    holds = [c for c in cases if c[2] >= workers.SPED_UP]
    verdict = "confirmed" if len(holds) == len(cases) else ("contradicted" if not holds else "partly")
    return {"cases": cases, "holds": holds, "fails": [c for c in cases if c not in holds], "verdict": verdict}
