"""The report's "Python vs C++" section: each course mechanism's Python figure beside the C++ benchmark it
rests on (named by the Python runner in each entry's cpp_counterpart), the homework in both languages,
and the GIL finding, all computed from one run."""
from . import workers
from ..model import query

# (kind of row, which py/ records, the figure compared; lower is better unless it is a rate)
ROWS = [
    ("latency", lambda w, p: w[:1] == ["ipc"] and w[2] == "latency" and p.get("size") == "64", "p50_ns"),
    (
        "throughput",
        lambda w, p: w[:1] == ["ipc"] and w[2] == "throughput" and p.get("size") == "65536",
        "bytes_per_second",
    ),
    ("spawn", lambda w, p: w[:1] == ["spawn"], "real_time"),
    ("pool", lambda w, p: w[:1] == ["pool"], "items_per_second"),
]
RATES = {"bytes_per_second", "items_per_second"}


def _value(r, field):
    return query.value_ns(r) if field == "real_time" else r.get(field)


def _slower(py, cpp, field):
    """How many times slower Python is (always >= 1 means slower; a rate is inverted)."""
    if not py or not cpp:
        return None
    return cpp / py if field in RATES else py / cpp


def mechanism_rows(records):
    """[{kind, python, cpp, field, py_value, cpp_value, slower}] in the order of ROWS, then of the run.
    A row whose C++ counterpart is absent from the run keeps cpp_value None."""
    by_name = {r["name"]: r for r in records if "error" not in r}
    out = []
    for kind, wanted, field in ROWS:
        for r in query.family(records, "py"):
            words, params = r["words"][1:], r["params"]
            if not wanted(words, params) or params.get("peer", "process") != _peer_for(words):
                continue
            cpp = by_name.get(r.get("cpp_counterpart"))
            py_value, cpp_value = _value(r, field), _value(cpp, field) if cpp else None
            key = "/".join(words[:2]) if words[0] == "ipc" else "/".join(words)
            cpp_name = r.get("cpp_counterpart") or ""
            # IPC rows are named by mechanism (the kind column says latency or throughput); others in full.
            out.append(
                {
                    "kind": kind,
                    "key": key,
                    "python": words[1] if words[0] == "ipc" else key,
                    "cpp": cpp_name.split("/")[1] if words[0] == "ipc" and cpp_name else cpp_name or None,
                    "field": field,
                    "py_value": py_value,
                    "cpp_value": cpp_value,
                    "slower": _slower(py_value, cpp_value, field),
                }
            )
    return out


def _peer_for(words):
    """The peer a row is shown with: processes, except queue.Queue, which only has threads."""
    return "thread" if words[:2] == ["ipc", "queue_queue"] else "process"


def homework_rows(records):
    """{(task, mode): (python ms, C++ ms)} for every homework cell either language measured."""
    py = workers.homework_rows(records, ("py", "homework"))
    cpp = workers.homework_rows(records)
    keys = {(t, m) for table in (py, cpp) for t, modes in table.items() for m in modes}
    order = {"sequential": 0, "threads": 1, "processes": 2}
    return {
        (t, m): (py.get(t, {}).get(m), cpp.get(t, {}).get(m))
        for t, m in sorted(keys, key=lambda k: (k[0], order.get(k[1], 3), k[1]))
    }


def gil_finding(records):
    """Speed-ups of the CPU-bound homework in threads and in processes, Python against C++:
    sequential time / parallel time. None unless both languages ran all three modes."""
    cells = homework_rows(records)
    want = [("cpu", m) for m in ("sequential", "threads", "processes")]
    if not all(k in cells and None not in cells[k] for k in want):
        return None
    seq, thr, proc = (cells[k] for k in want)
    return {
        "py_threads_helped": seq[0] / thr[0] >= workers.SPED_UP,
        "py_threads": seq[0] / thr[0],
        "py_processes": seq[0] / proc[0],
        "cpp_threads": seq[1] / thr[1],
        "cpp_processes": seq[1] / proc[1],
    }
