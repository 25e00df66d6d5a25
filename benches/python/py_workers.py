"""Workers the course's way: Process vs Thread creation, Pool.map and Pool.apply_async vs one Process per
task, and the homework (the counting loop and the file task, 10 times sequentially, in 10 threads and in
10 processes, with a task that only waits beside them). Every worker's result is checked."""
import collections
import multiprocessing as mp
import os
import queue
import resource
import tempfile
import threading
import time

# The homework's scale: counting-loop iterations per CPU task, lines per IO task, 2 ms waits per waiting task.
Scale = collections.namedtuple("Scale", "loops lines waits")
WAIT_S = 0.002


def exit_with(code):
    raise SystemExit(code)


def spawn(kind, min_time):
    """Create and join one worker per iteration; a process proves it ran through its exit code."""
    n, start = 0, time.perf_counter_ns()
    while n < 20 or time.perf_counter_ns() - start < min_time * 1e9:
        code = n % 100
        if kind == "process":
            p = mp.Process(target=exit_with, args=(code,))
            p.start()
            p.join()
            if p.exitcode != code:
                raise RuntimeError(f"worker {n} exited with {p.exitcode}, expected {code}")
        else:
            box = []
            t = threading.Thread(target=box.append, args=(code,))
            t.start()
            t.join()
            if box != [code]:
                raise RuntimeError(f"thread {n} did not run")
        n += 1
    elapsed = time.perf_counter_ns() - start
    return {"iterations": n, "real_time": elapsed / n, "time_unit": "ns"}


def small_task(i):
    """A few microseconds of work whose result depends on i."""
    c = 0
    for _ in range(200 + i % 64):
        c += 1
    return c


def pool(style, tasks, workers):
    expected = [200 + i % 64 for i in range(tasks)]
    start = time.perf_counter_ns()
    if style == "process_per_task":
        got = []
        for first in range(0, tasks, workers):
            wave = [
                mp.Process(target=exit_with, args=(small_task(i) % 256,))
                for i in range(first, min(tasks, first + workers))
            ]
            for p in wave:
                p.start()
            for p in wave:
                p.join()
            got += [p.exitcode for p in wave]
        expected = [e % 256 for e in expected]
    else:
        with mp.Pool(workers) as p:
            if style == "map":
                got = p.map(small_task, range(tasks))
            else:
                futures = [p.apply_async(small_task, (i,)) for i in range(tasks)]
                got = [f.get(timeout=60) for f in futures]
    elapsed = time.perf_counter_ns() - start
    if got != expected:
        bad = next(i for i, (g, e) in enumerate(zip(got, expected)) if g != e)
        raise RuntimeError(f"task {bad} returned {got[bad]}, expected {expected[bad]}")
    return {
        "iterations": 1,
        "real_time": elapsed,
        "time_unit": "ns",
        "items_per_second": tasks / (elapsed / 1e9),
        "tasks": tasks,
    }


def count_task(loops, out):
    """The course's CPU-bound loop."""
    c, x, y = 0, 1, 1
    while c < loops:
        c += 1
        x += 1
        y += 1
    out.put(x + y - 2)


def io_task(path, lines, out):
    """The course's IO-bound task: write short lines, read them back."""
    with open(path, "w") as f:
        for _ in range(lines):
            f.write("hello world\n")
    with open(path) as f:
        good = sum(line == "hello world\n" for line in f)
    os.unlink(path)
    out.put(good)


def wait_task(waits, out):
    """IO that only waits, as on a network reply or a timer: the interpreter lock is released while it sleeps."""
    for _ in range(waits):
        time.sleep(WAIT_S)
    out.put(waits)


def cpu_times_ns():
    """User and system time of this process, all its threads, and its children that have been joined."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (own.ru_utime + children.ru_utime) * 1e9, (own.ru_stime + children.ru_stime) * 1e9


def warm_up(task, tmp):
    """CPython 3.11 specialises a function's bytecode only after it has been called 8 times (the
    loop's iterations do not count): unwarmed, the first mode timed ran its first 7 tasks at 0.42 s
    instead of 0.25 s each here, and sequential looked slower than 10 threads. Warm both tasks up."""
    sink = queue.Queue()
    for i in range(8):
        if task == "cpu":
            count_task(1000, sink)
        elif task == "io":
            io_task(os.path.join(tmp, f"warm-up-{i}.txt"), 10, sink)
        else:
            wait_task(1, sink)


def homework(task, mode, tasks, scale):
    """The exercise: `tasks` runs of the CPU, IO or waiting task, one after another, in threads or in processes,
    with the user and system time they spent (per task), which explain the wall time."""
    with tempfile.TemporaryDirectory(prefix="ipcbench-py-") as tmp:
        warm_up(task, tmp)
        results = mp.Queue() if mode == "processes" else queue.Queue()

        def job(i):
            if task == "cpu":
                return count_task, (scale.loops, results)
            if task == "io":
                return io_task, (os.path.join(tmp, f"task-{i}.txt"), scale.lines, results)
            return wait_task, (scale.waits, results)

        user, system = cpu_times_ns()
        start = time.perf_counter_ns()
        if mode == "sequential":
            for i in range(tasks):
                fn, args = job(i)
                fn(*args)
        else:
            cls = mp.Process if mode == "processes" else threading.Thread
            workers = [cls(target=fn, args=args) for fn, args in map(job, range(tasks))]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
        got = [results.get(timeout=60) for _ in range(tasks)]
        elapsed = time.perf_counter_ns() - start
        user_end, system_end = cpu_times_ns()
    want = {"cpu": 2 * scale.loops, "io": scale.lines, "wait": scale.waits}[task]
    if got != [want] * tasks:
        raise RuntimeError(f"homework {task} ({mode}): results {got[:3]}..., expected {want} from each task")
    return {
        "iterations": 1,
        "real_time": elapsed,
        "time_unit": "ns",
        "tasks": tasks,
        **({"lines": scale.lines} if task == "io" else {}),
        "user_ns_per_op": (user_end - user) / tasks,
        "system_ns_per_op": (system_end - system) / tasks,
    }
