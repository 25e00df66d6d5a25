"""The workers families, computed: speed-up series of cpu/* and io/*, the cost of a switch, a lock and a
signal hand-off, and the homework's table of times by task and mode."""
from ..model import query


# A speed-up below this (n workers against one after another) is "did not help": the course's claims
# about threads and processes are judged by it, and the findings' sentences chosen by it.
SPED_UP = 1.3


def scaling_series(records, group):
    """{(kernel, kind): [(n, speedup)]} for cpu/* or io/*."""
    out = {}
    for r in query.family(records, group):
        if "speedup" not in r:
            continue
        kind = r["params"].get("workers")
        out.setdefault((r["words"][1], kind), []).append((int(r["params"]["n"]), r["speedup"]))
    return {k: sorted(v) for k, v in out.items()}


def costs_rows(records):
    """((kind, {what}), ns) for context switches, uncontended and 2-way contended locks, and signal
    hand-offs; kind is "switch" (peer), "lock" (lock, workers, n) or "hand_off" (how, peer)."""
    rows = [
        (("switch", {"peer": r["params"]["peer"]}), r["ns_per_op"])
        for r in query.family(records, "ctx")
        if "ns_per_op" in r
    ]
    for r in query.family(records, "sync", "lock"):
        if "ns_per_op" in r and r["params"].get("n") in ("1", "2"):
            what = {"lock": r["words"][2], "workers": r["params"]["workers"], "n": r["params"]["n"]}
            rows.append((("lock", what), r["ns_per_op"]))
    for r in query.family(records, "sync", "signal"):
        if "ns_per_op" in r:
            rows.append((("hand_off", {"how": r["words"][2], "peer": r["params"]["peer"]}), r["ns_per_op"]))
    return rows


def homework_mode(r, prefix):
    """A homework record's mode: homework/cpu/sequential has it as a word, homework/cpu/threads:10 as a
    parameter (`prefix`: the name's words before the task)."""
    n = len(prefix)
    return r["words"][n + 1] if len(r["words"]) > n + 1 else next(iter(r["params"]), "?")


def homework_rows(records, prefix=("homework",)):
    """{task: {mode: ms}} from homework/<task>/<mode> (or, with prefix ("py", "homework"), Python's)."""
    table, n = {}, len(prefix)
    for r in query.family(records, *prefix):
        table.setdefault(r["words"][n], {})[homework_mode(r, prefix)] = query.value_ns(r) / 1e6
    return table
