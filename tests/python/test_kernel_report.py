"""What a message costs the kernel, and the homework explained, on synthesized records with numbers worked out
by hand: per-message counters become per-round-trip rows (a round trip is two messages), fastest first; the
conclusions name each mechanism's system calls and sleeps ("none" for a spinner), set sleepers against the
rest, and count SQPOLL's polling thread in its CPU; the homework's IO tasks judge "threads suit IO" partly when
the languages disagree, and the Python file task is explained from its user and system time; the chart draws."""
import os
import tempfile
import unittest

from plots import catalog, charts_kernel, sections, style, texts
from plots.analysis import findings, homework, kernel_cost
from plots.model import results

EN = catalog.messages("en")


def rtt(mech, p50_ns, syscalls, sleeps, user_ns, system_ns, helper_ns=0.0):
    """A 64 B round trip between processes whose counters are per message: half the round trip's."""
    name = f"ipc/{mech}/latency/peer:process/pin:cross/size:64"
    words, params = results.parse_name(name)
    record = {
        "name": name,
        "words": words,
        "params": params,
        "p50_ns": p50_ns,
        "voluntary_switches_per_msg": sleeps / 2,
        "involuntary_switches_per_msg": 0.0,
        "page_faults_per_msg": 0.0,
        "user_ns_per_msg": user_ns / 2,
        "system_ns_per_msg": system_ns / 2,
        "helper_cpu_ns_per_msg": helper_ns / 2,
        "cpu_ns_per_msg": (user_ns + system_ns) / 2,
    }
    if syscalls is not None:
        record.update(syscalls_per_msg=syscalls / 2, migrations_per_msg=0.0)
    return record


def homework_run(prefix, task, mode, ms, user_ms=None, system_ms=None, lines=None):
    suffix = mode if mode == "sequential" else f"{mode}:10"
    name = f"{prefix}/{task}/{suffix}"
    words, params = results.parse_name(name)
    r = {"name": name, "words": words, "params": params, "real_time": ms * 1e6, "time_unit": "ns", "tasks": 10}
    if user_ms is not None:
        r.update(user_ns_per_op=user_ms * 1e6, system_ns_per_op=system_ms * 1e6)
    if lines:
        r["lines"] = lines
    return r


IPC = [
    rtt("pipe", 20_000, 4, 2, 3_000, 17_000),
    rtt("shm_ring.spin", 400, 0.0004, 0.0, 1_500, 10),
    rtt("pipe.busy", 5_000, 7, 0.0, 4_000, 6_000),
    rtt("uring", 27_000, 6, 2, 10_000, 22_000),
    rtt("uring.sqpoll", 14_000, 4, 4, 3_000, 54_000, helper_ns=47_000),
]
HOMEWORK = [
    homework_run("homework", "io", "sequential", 870, 65, 21, 1_700_000),
    homework_run("homework", "io", "threads", 450, 67, 24, 1_700_000),
    homework_run("homework", "io", "processes", 490, 70, 27, 1_700_000),
    homework_run("homework", "wait", "sequential", 1050, 0.4, 0.1),
    homework_run("homework", "wait", "threads", 107, 0.3, 0.4),
    homework_run("homework", "wait", "processes", 130, 3, 2),
    # Python's file task: 170 ms of CPU per task, 150 of it user time (the interpreter, under its lock).
    homework_run("py/homework", "io", "sequential", 1700, 150, 20, 1_700_000),
    homework_run("py/homework", "io", "threads", 2000, 160, 70, 1_700_000),
    homework_run("py/homework", "io", "processes", 1160, 185, 43, 1_700_000),
    homework_run("py/homework", "wait", "sequential", 1050, 0.3, 0.4),
    homework_run("py/homework", "wait", "threads", 110, 0.5, 0.7),
    homework_run("py/homework", "wait", "processes", 240, 14, 16),
]


class KernelCost(unittest.TestCase):
    def test_rows_are_per_round_trip_and_fastest_first(self):
        rows = kernel_cost.rows(IPC)
        fastest_first = ["shm_ring.spin", "pipe.busy", "uring.sqpoll", "pipe", "uring"]
        self.assertEqual([r["mechanism"] for r in rows], fastest_first)
        pipe = rows[3]
        self.assertEqual((pipe["syscalls"], pipe["sleeps"], pipe["cpu_ns"]), (4, 2, 20_000))

    def test_conclusion_names_costs_and_sets_sleepers_against_the_rest(self):
        f = kernel_cost.explained(IPC)
        self.assertEqual(f["sleepers_p50"], 20_000)  # pipe 20, uring.sqpoll 14, uring 27 µs
        self.assertEqual(f["awake_p50"], 5_000)
        self.assertEqual(f["spinning_p50"], 400)
        s = texts.sentence("en", "kernel_cost", f)
        self.assertIn("pipe 4 system calls and 2 sleeps", s)
        self.assertIn("shm_ring.spin none", s)
        self.assertIn("pipe.busy 7 system calls and 0 sleeps", s)
        self.assertTrue(texts.sentence("zh", "kernel_cost", f))

    def test_sqpoll_counts_its_polling_thread(self):
        f = kernel_cost.sqpoll(IPC)
        self.assertEqual((f["sqpoll_syscalls"], f["uring_syscalls"]), (4, 6))
        self.assertEqual((f["sqpoll_cpu"], f["poller_cpu"]), (57_000, 47_000))
        self.assertIn("47 µs of it", texts.sentence("en", "sqpoll_cost", f))

    def test_without_counted_system_calls_only_the_sleeps_are_named(self):
        no_syscalls = [rtt("pipe", 20_000, None, 2, 3_000, 17_000), rtt("shm_ring.spin", 400, None, 0, 1_500, 0)]
        s = texts.sentence("en", "kernel_cost", kernel_cost.explained(no_syscalls))
        self.assertIn("pipe 2 sleeps", s)
        self.assertNotIn("system calls and", s)

    def test_chart_draws_in_both_languages(self):
        for lang in ("en", "zh"):
            with style.language(lang), tempfile.TemporaryDirectory() as out:
                fig = charts_kernel.kernel_cost(IPC, catalog.messages(lang))
                self.assertIsNotNone(fig)
                paths = style.save(fig, out, "kernel_cost")
                self.assertTrue(all(os.path.getsize(p) > 0 for p in paths))
        self.assertIsNone(charts_kernel.kernel_cost([], EN))
        self.assertIn("kernel_cost", [s.id for s in sections.SECTIONS])


class HomeworkExplained(unittest.TestCase):
    def test_threads_suit_io_is_partly_when_python_file_task_slows(self):
        f = homework.threads_for_io(HOMEWORK)
        self.assertEqual(f["verdict"], "partly")
        self.assertEqual([(lang, task) for lang, task, _ in f["fails"]], [("py", "io")])
        claims = {cid: v for cid, v, _ in findings.claims({"threads_io": f})}
        self.assertEqual(claims["threads_suit_io"], "partly")

    def test_python_file_task_is_explained_from_its_user_and_system_time(self):
        py_io = next(r for r in homework.explained(HOMEWORK) if r["lang"] == "py" and r["task"] == "io")
        self.assertAlmostEqual(py_io["threads_speedup"], 0.85)
        self.assertAlmostEqual(py_io["user_share"], 150 / 170)
        self.assertAlmostEqual(py_io["busy"], 1.0)  # 170 ms of CPU in each 170 ms task
        self.assertAlmostEqual(py_io["user_per_line"], 150e6 / 1_700_000)
        text = texts.io_task_explanation(EN, "en", py_io)
        self.assertIn("88%", text)  # of its CPU under the interpreter lock
        self.assertIn("interpreter lock", text)
        self.assertIn("1.18x slower", text)

    def test_every_io_task_gets_a_paragraph_in_both_languages(self):
        rows = homework.explained(HOMEWORK)
        self.assertEqual(len(rows), 4)
        for lang in ("en", "zh"):
            paragraphs = texts.homework_explanation(lang, {}, None, rows)
            self.assertEqual(len(paragraphs), 4)


if __name__ == "__main__":
    unittest.main()
