"""The two IPC workloads, as in the C++ drivers: latency (verified round trips, percentiles) and throughput
(a stream verified by the consumer, which acknowledges the last message)."""
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


def percentile(sorted_ns, q):
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))]


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
    return {"iterations": len(trips), "real_time": sum(trips) / len(trips), "time_unit": "ns",
            "p50_ns": percentile(trips, 0.50), "p90_ns": percentile(trips, 0.90),
            "p99_ns": percentile(trips, 0.99), "p999_ns": percentile(trips, 0.999), "max_ns": trips[-1]}


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
    return {"iterations": sent, "real_time": elapsed / sent, "time_unit": "ns",
            "bytes_per_second": sent * size / (elapsed / 1e9), "items_per_second": sent / (elapsed / 1e9)}


WORKLOADS = {"latency": (latency, echo_peer), "throughput": (throughput, sink_peer)}


def run_ipc(mechanism, workload, kind, size, min_time):
    """One benchmark: a fresh channel, the peer started, the workload timed, everything torn down.
    Raises naming what went wrong; a dead peer surfaces as a timeout with its exit code."""
    factory = py_ipc.MECHANISMS[mechanism][0]
    main_fn, peer_fn = WORKLOADS[workload]
    a, b, close = factory(size)
    peer = py_ipc.start_peer(kind, peer_fn, (b, size))
    try:
        result = main_fn(a, size, min_time)
        peer.join(TIMEOUT)
        if peer.is_alive():
            raise RuntimeError("the peer did not finish")
        if peer.exitcode != 0:
            raise RuntimeError(f"the {kind} peer failed: {getattr(peer, 'error', None) or f'exit code {peer.exitcode}'}")
        return result
    except py_ipc.PeerTimeout as e:
        code = peer.exitcode
        raise RuntimeError(f"{e}; the peer {'exited with code ' + str(code) if code is not None else 'is silent'}") \
            from None
    finally:
        if kind == "process" and peer.is_alive():
            peer.kill()
            peer.join()
        close()
