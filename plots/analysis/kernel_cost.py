"""What a message costs the kernel, computed: per mechanism, the system calls, sleeps (voluntary context
switches), involuntary switches, page faults and CPU migrations of one 64 B round trip between processes, and
its CPU split into user and system time with the helper threads' part (io_uring's SQPOLL poller, ZeroMQ's
I/O threads); for the workers, the page faults of creating one (fork's copy-on-write against
pthread_create) and the switches of one pass in ctx/. Counts the run did not make are absent, never 0."""
import statistics

from ..model import query

# A latency benchmark's counters are per message, and a round trip is two messages (there and back).
PER_ROUND_TRIP = 2
FIELDS = {  # the round trip's row: field -> the per-message counter it doubles
    "syscalls": "syscalls_per_msg",
    "sleeps": "voluntary_switches_per_msg",
    "involuntary": "involuntary_switches_per_msg",
    "faults": "page_faults_per_msg",
    "migrations": "migrations_per_msg",
    "user_ns": "user_ns_per_msg",
    "system_ns": "system_ns_per_msg",
    "helper_ns": "helper_cpu_ns_per_msg",
    "cpu_ns": "cpu_ns_per_msg",
}
# The mechanisms the conclusions name, in this order when measured: the course's three (pipe, a queue,
# shared memory), a shared-memory ring that sleeps and one that wakes through an eventfd, a pipe whose
# reader spins, and io_uring with and without its polling thread.
EXPLAINED = [
    "pipe",
    "pipe.busy",
    "posix_mq",
    "shm_ring.spin",
    "shm_ring.futex",
    "eventfd+shm",
    "unix",
    "tcp",
    "uring",
    "uring.sqpoll",
    "zmq.ipc",
]
NEVER = 0.05  # fewer per round trip than this is "none": a stray wake-up of the run's timer, not the path


def rows(records, size=64):
    """[{mechanism, p50_ns, syscalls, sleeps, ...}] per round trip, fastest first: the mechanisms whose 64 B
    round trip between processes (on the preferred pin) has its costs counted."""
    pin = query.preferred_pin(records, "latency")
    out = []
    for r in query.ipc(records, "latency", peer="process", pin=pin, size=size):
        if r.get("p50_ns") is None or r.get(FIELDS["sleeps"]) is None:
            continue
        row = {"mechanism": query.mechanism(r), "p50_ns": r["p50_ns"], "pin": pin}
        for field, counter in FIELDS.items():
            if r.get(counter) is not None:
                row[field] = r[counter] * PER_ROUND_TRIP
        out.append(row)
    return sorted(out, key=lambda row: row["p50_ns"])


def explained(records):
    """The kernel's part of a round trip for the mechanisms the report explains, and the median round trip of
    those that sleep on every message against those that never do: the sleeps, not the copies, set the time.
    None without counts."""
    table = rows(records)
    if not table:
        return None
    by = {row["mechanism"]: row for row in table}
    named = [by[m] for m in EXPLAINED if m in by]
    sleepers = [row["p50_ns"] for row in table if row["sleeps"] >= 1]
    awake = [row["p50_ns"] for row in table if row["sleeps"] < NEVER and row.get("syscalls", 1) >= 1]
    spinning = [row["p50_ns"] for row in table if row["sleeps"] < NEVER and row.get("syscalls", 1) < NEVER]
    return {
        "rows": named or table[:6],
        "pin": table[0]["pin"],
        "sleepers_p50": statistics.median(sleepers) if sleepers else None,
        "awake_p50": statistics.median(awake) if awake else None,
        "spinning_p50": statistics.median(spinning) if spinning else None,
        "counted_syscalls": any("syscalls" in row for row in table),
    }


def sqpoll(records):
    """io_uring with a polling kernel thread against without: its system calls, and its CPU once the poller
    is counted. None unless both ran."""
    by = {row["mechanism"]: row for row in rows(records)}
    a, b = by.get("uring"), by.get("uring.sqpoll")
    if not a or not b:
        return None
    return {
        "uring_syscalls": a.get("syscalls"),
        "sqpoll_syscalls": b.get("syscalls"),
        "uring_cpu": a["cpu_ns"],
        "sqpoll_cpu": b["cpu_ns"],
        "poller_cpu": b.get("helper_ns", 0),
        "uring_p50": a["p50_ns"],
        "sqpoll_p50": b["p50_ns"],
    }


def workers(records):
    """Page faults per worker created (fork against pthread_create) and switches per pass in ctx/, when
    counted."""
    fork, thread = query.one(records, "spawn/fork"), query.one(records, "spawn/pthread")
    out = {}
    if fork and thread and "page_faults_per_op" in fork and "page_faults_per_op" in thread:
        out.update(fork_faults=fork["page_faults_per_op"], thread_faults=thread["page_faults_per_op"])
    for peer in ("thread", "process"):
        r = query.one(records, f"ctx/pipe_token/peer:{peer}/pin:same")
        if r and "voluntary_switches_per_op" in r:
            out[f"ctx_{peer}"] = {
                "sleeps": r["voluntary_switches_per_op"],
                "involuntary": r["involuntary_switches_per_op"],
                "system_ns": r.get("system_ns_per_op"),
                "user_ns": r.get("user_ns_per_op"),
            }
    return out or None
