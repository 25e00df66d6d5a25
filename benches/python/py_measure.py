"""The two IPC workloads, as in the C++ drivers: latency (verified round trips, percentiles) and throughput
(a stream verified by the consumer, which acknowledges the last message)."""
import functools
import math
import os
import time

import py_ipc
from py_payload import Source, verify

TIMEOUT = 30  # seconds a peer may stay silent before it is declared dead
STOP = b""


def echo_peer(end, size):
    """The peer of a latency benchmark: echo every message, then check it."""
    seq = 0
    while True:
        msg = end.recv(TIMEOUT)
        if msg == STOP:
            return
        end.send(msg)
        verify(msg, seq, size)
        seq += 1


def sink_peer(end, size):
    """The consumer of a throughput benchmark: check every message, acknowledge the count."""
    seq = 0
    while True:
        msg = end.recv(TIMEOUT)
        if msg == STOP:
            end.send(seq.to_bytes(8, "little"))
            return
        verify(msg, seq, size)
        seq += 1


# The C++ harness's rule (harness/measure/percentile_rule): a percentile is reported only with ten samples
# beyond it, with the 95 % interval its order statistics give.
PERCENTILES = [("p50_ns", 0.50), ("p90_ns", 0.90), ("p99_ns", 0.99), ("p999_ns", 0.999)]
SAMPLES_BEYOND = 10
Z95 = 1.959964


def samples_needed(q):
    return math.ceil(SAMPLES_BEYOND / (1 - q) - 1e-6)


def percentiles(sorted_ns):
    """{counter: value, counter_lo: ..., counter_hi: ...} for each percentile with its samples behind it."""
    n, out = len(sorted_ns), {}
    for counter, q in PERCENTILES:
        if n < samples_needed(q):
            continue
        centre, spread = q * n, Z95 * math.sqrt(q * n * (1 - q))
        lo_rank = max(1, math.floor(centre - spread))
        hi_rank = min(n, math.ceil(centre + spread) + 1)
        out[counter] = sorted_ns[max(1, math.ceil(centre)) - 1]
        out[counter + "_lo"] = sorted_ns[lo_rank - 1]
        out[counter + "_hi"] = sorted_ns[hi_rank - 1]
    return out


def latency(end, size, min_time):
    src = Source(size)
    for seq in range(20):  # warm-up
        end.send(src.stamp(seq))
        verify(end.recv(TIMEOUT), seq, size)
    trips, seq = [], 20
    start = time.perf_counter_ns()
    while len(trips) < 50 or time.perf_counter_ns() - start < min_time * 1e9:
        msg = src.stamp(seq)
        t0 = time.perf_counter_ns()
        end.send(msg)
        reply = end.recv(TIMEOUT)
        trips.append(time.perf_counter_ns() - t0)
        verify(reply, seq, size)
        seq += 1
    end.send(STOP)
    trips.sort()
    return {
        "iterations": len(trips),
        "real_time": sum(trips) / len(trips),
        "time_unit": "ns",
        **percentiles(trips),
        "max_ns": trips[-1],
        "samples": len(trips),
    }


def throughput(end, size, min_time):
    src = Source(size)
    sent = 0
    start = time.perf_counter_ns()
    while sent < 50 or time.perf_counter_ns() - start < min_time * 1e9:
        end.send(src.stamp(sent))
        sent += 1
    end.send(STOP)
    acked = int.from_bytes(end.recv(TIMEOUT), "little")
    elapsed = time.perf_counter_ns() - start
    if acked != sent:
        raise py_ipc.PeerTimeout(f"the consumer verified {acked} of {sent} messages")
    return {
        "iterations": sent,
        "real_time": elapsed / sent,
        "time_unit": "ns",
        "bytes_per_second": sent * size / (elapsed / 1e9),
        "items_per_second": sent / (elapsed / 1e9),
    }


WORKLOADS = {"latency": (latency, echo_peer), "throughput": (throughput, sink_peer)}


def cross_cpus():
    """Two CPUs for the C++ drivers' pin:cross (this side on the first, the peer on the second), or
    None where there are fewer than two or no affinity calls: then nothing is pinned (pin:none)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    return (cpus[0], cpus[1]) if len(cpus) >= 2 else None


def pin_name():
    return "cross" if cross_cpus() else "none"


def _pinned(fn, cpu, *args):
    os.sched_setaffinity(0, {cpu})  # pid 0 is the calling thread on Linux: a thread peer pins only itself
    return fn(*args)


def run_ipc(mechanism, workload, kind, size, min_time):
    """One benchmark: a fresh channel, the peer started, the workload timed, everything torn down.
    Pinned like the C++ pin:cross, so the two are compared like for like. Raises naming what went
    wrong; a dead peer surfaces as a timeout with its exit code."""
    factory = py_ipc.MECHANISMS[mechanism][0]
    main_fn, peer_fn = WORKLOADS[workload]
    cpus = cross_cpus()
    # The channel is made before pinning, so helper processes (a Manager's server) float as they
    # would in a student's program; helper threads (a Queue's feeder) start later, on this side's CPU.
    a, b, close = factory(size)
    saved = os.sched_getaffinity(0) if cpus else None
    if cpus:
        os.sched_setaffinity(0, {cpus[0]})
        peer_fn = functools.partial(_pinned, peer_fn, cpus[1])
    peer = py_ipc.start_peer(kind, peer_fn, (b, size))
    try:
        result = main_fn(a, size, min_time)
        peer.join(TIMEOUT)
        if peer.is_alive():
            raise RuntimeError("the peer did not finish")
        if peer.exitcode != 0:
            raise RuntimeError(
                f"the {kind} peer failed: {getattr(peer, 'error', None) or f'exit code {peer.exitcode}'}"
            )
        return result
    except py_ipc.PeerTimeout as e:
        code = peer.exitcode
        raise RuntimeError(
            f"{e}; the peer {'exited with code ' + str(code) if code is not None else 'is silent'}"
        ) from None
    finally:
        if kind == "process" and peer.is_alive():
            peer.kill()
            peer.join()
        close()
        if saved:
            os.sched_setaffinity(0, saved)
