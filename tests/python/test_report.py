"""The plot and report step (plots/): every chart is a valid SVG and PNG, both reports are written in
both languages, their numbers are the JSON's, bad input is refused in one line, and the HTML report
opens in headless Chromium without console errors (a screenshot is taken)."""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "default-subset.json")
from plots import catalog, sections, texts  # noqa: E402

# The fixture is a default run without the load family and from before the kernel's costs were counted:
# those charts are tested on their own records (test_load_report.py, test_kernel_report.py).
NOT_IN_FIXTURE = {"load_knee", "load_budget", "load_rtt_knee", "kernel_cost"}
EXPECTED_CHARTS = [s.id for s in sections.SECTIONS if s.id not in NOT_IN_FIXTURE]


def run(*args):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT)


def raw(name):
    """The fixture's iteration entry for a benchmark, read straight from the JSON (not via plots/)."""
    with open(FIXTURE, encoding="utf-8") as f:
        entries = [b for b in json.load(f)["benchmarks"] if b["name"] == name]
    assert len(entries) == 1, name
    return entries[0]


def ns_of(entry):
    return entry["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[entry["time_unit"]]


class ReportOnFixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="ipcbench-report-test-")
        for lang in ("en", "zh"):
            r = run("-m", "plots.report", FIXTURE, "--lang", lang, "--out-dir", cls.out)
            assert r.returncode == 0, r.stderr
        with open(os.path.join(cls.out, "report.html"), encoding="utf-8") as f:
            cls.html = f.read()
        with open(os.path.join(cls.out, "report.md"), encoding="utf-8") as f:
            cls.md = f.read()
        with open(os.path.join(cls.out, "report.zh.md"), encoding="utf-8") as f:
            cls.md_zh = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out)

    def test_every_section_of_the_registry_is_in_both_reports_under_its_heading(self):
        self.assertEqual(len(EXPECTED_CHARTS), 15)
        for lang, md in (("en", self.md), ("zh", self.md_zh)):
            for section in sections.SECTIONS:
                heading = catalog.messages(lang)[section.heading]
                if section.id in NOT_IN_FIXTURE:
                    self.assertNotIn(heading, md, section.id)
                elif section.among_charts:
                    self.assertIn(f"### {heading}", md, f"{lang}: {section.id}")

    def test_chinese_charts_carry_no_english_words_of_the_english_charts(self):
        # Words both languages' charts share may only be identifiers (a benchmark's or mechanism's
        # name, or a piece of one), units and abbreviations.
        with open(FIXTURE, encoding="utf-8") as f:
            names = [b["name"] for b in json.load(f)["benchmarks"]]
        units = {"B", "KiB", "MiB", "GiB", "MB/s", "GB/s", "ns", "µs", "ms", "s", "p", "n", "N", "e+"}
        units |= {"CPU", "IO", "PSS", "RSS"}

        def words(path):
            root = ET.parse(path).getroot()
            text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
            return set(re.findall(r"[A-Za-z][A-Za-z_.+:/\-]*", text))

        for chart in EXPECTED_CHARTS:
            english = words(os.path.join(self.out, chart + ".svg"))
            chinese = words(os.path.join(self.out, chart + ".zh.svg"))
            self.assertGreater(len(english - chinese), 0, chart)
            shared = {w for w in english & chinese if w not in units and not any(w in n for n in names)}
            self.assertEqual(shared, set(), f"{chart}.zh.svg carries English")
        memory = words(os.path.join(self.out, "memory.svg"))
        self.assertIn("processes", memory)
        self.assertNotIn("processs", memory)

    def test_every_chart_is_a_valid_svg_and_png(self):
        for chart in EXPECTED_CHARTS:
            svg = os.path.join(self.out, chart + ".svg")
            self.assertEqual(ET.parse(svg).getroot().tag, "{http://www.w3.org/2000/svg}svg", chart)
            with open(os.path.join(self.out, chart + ".png"), "rb") as f:
                head = f.read(24)
            self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n", chart)
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            self.assertGreater(width * height, 100 * 100, chart)
            self.assertLessEqual(width, 1280, f"{chart} is wider than a 1280 px screen")

    def test_both_languages_and_both_formats_are_written(self):
        for name in ("report.html", "report.md", "report.zh.html", "report.zh.md"):
            self.assertGreater(os.path.getsize(os.path.join(self.out, name)), 2000, name)
        with open(os.path.join(self.out, "report.zh.html"), encoding="utf-8") as f:
            zh = f.read()
        self.assertIn('lang="zh"', zh)
        self.assertIn("作业：效率测试", zh)
        self.assertIn("<svg", self.html)  # self-contained: charts inline
        self.assertNotIn('src="', self.html)
        self.assertIn("![", self.md)

    def test_conclusions_carry_the_json_numbers(self):
        fork, thread = ns_of(raw("spawn/fork")), ns_of(raw("spawn/pthread"))
        self.assertIn(f"costs {texts.times(fork / thread)} a thread", self.html)
        self.assertIn(texts.ns(fork), self.html)
        shm = raw("ipc/shm_ring.spin/latency/peer:process/pin:cross/size:64")["p50_ns"]
        pipe = raw("ipc/pipe/latency/peer:process/pin:cross/size:64")["p50_ns"]
        self.assertIn(
            f"at 64 B: {texts.ns(shm)}, {texts.times(pipe / shm)} faster than pipe ({texts.ns(pipe)})", self.html
        )
        count = raw("cpu/count/workers:thread/n:2")["speedup"]
        self.assertIn(f"threads speed up {count:.2f}x", self.html)

    def test_homework_table_is_the_json(self):
        for mode, column in (("sequential", "sequential"), ("threads:10", "threads"), ("processes:10", "processes")):
            ms = ns_of(raw(f"homework/cpu/{mode}")) / 1e6
            self.assertIn(f"{ms:.3g} ms", self.md, column)

    def test_python_vs_cpp_rows_are_the_json_ratios(self):
        py = raw("py/ipc/mp_pipe/latency/peer:process/pin:cross/size:64")
        self.assertEqual(py["cpp_counterpart"], "ipc/socketpair/latency/peer:process/pin:cross/size:64")
        cpp = raw(py["cpp_counterpart"])
        self.assertIn(
            f"| mp_pipe | 64 B round trip p50 | {texts.ns(py['p50_ns'])} | socketpair | "
            f"{texts.ns(cpp['p50_ns'])} | {texts.times(py['p50_ns'] / cpp['p50_ns'])} |",
            self.md,
        )
        spawn = raw("py/spawn/process")
        fork = raw(spawn["cpp_counterpart"])
        self.assertIn(
            f"| {texts.ns(ns_of(spawn))} | {spawn['cpp_counterpart']} | {texts.ns(ns_of(fork))} | "
            f"{texts.times(ns_of(spawn) / ns_of(fork))} |",
            self.md,
        )

    def test_python_homework_and_gil_finding_are_the_json(self):
        py = {m: ns_of(raw(f"py/homework/cpu/{m}")) for m in ("sequential", "threads:10", "processes:10")}
        cpp = {m: ns_of(raw(f"homework/cpu/{m}")) for m in py}
        self.assertIn(
            f"| CPU (counting loop) | sequential | {py['sequential'] / 1e6:.4g} ms | "
            f"{cpp['sequential'] / 1e6:.4g} ms | {texts.times(py['sequential'] / cpp['sequential'])} |",
            self.md,
        )
        self.assertIn(f"ran {py['sequential'] / py['threads:10']:.2f}x as fast in 10 Python threads", self.md)
        self.assertIn(f"in C++, threads {cpp['sequential'] / cpp['threads:10']:.2f}x", self.md)
        self.assertRegex(
            self.md,
            r"\| Python threads do not help CPU-bound work \(the GIL\)\. \| " r"(confirmed|contradicted|partly) \|",
        )

    def test_the_first_screen_says_which_to_pick_then_the_contents(self):
        sections = [line for line in self.md.splitlines() if line.startswith("## ")]
        self.assertEqual(sections[:2], ["## Which should I use?", "## Contents"])
        with open(FIXTURE, encoding="utf-8") as f:
            entries = json.load(f)["benchmarks"]
        latency = [
            e
            for e in entries
            if e["name"].endswith("/size:64")
            and e["name"].startswith("ipc/")
            and "/latency/peer:process/pin:cross/" in e["name"]
            and "p50_ns" in e
        ]
        fastest = min(latency, key=lambda e: e["p50_ns"])["name"].split("/")[1]
        row = next(line for line in self.md.splitlines() if line.startswith("| the lowest latency"))
        # The fastest is the pick, alone or first among those it cannot be told apart from (a ≈ b).
        self.assertRegex(row, rf"^\| [^|]+ \| {re.escape(fastest)}( ≈ \S+)* \(")
        self.assertIn('<nav><h2>Contents</h2><ol><li><a href="#s2">', self.html)
        with open(os.path.join(self.out, "report.zh.md"), encoding="utf-8") as f:
            self.assertIn("## 该选哪一个？", f.read())

    def test_the_chinese_report_has_chinese_charts(self):
        with open(os.path.join(self.out, "latency.zh.svg"), encoding="utf-8") as f:
            svg = f.read()
        self.assertIn("进程间通信往返延迟", svg)
        self.assertNotIn("IPC round-trip latency", svg)
        with open(os.path.join(self.out, "report.zh.html"), encoding="utf-8") as f:
            self.assertIn("进程间通信往返延迟", f.read())
        with open(os.path.join(self.out, "latency.svg"), encoding="utf-8") as f:
            self.assertIn("IPC round-trip latency", f.read())  # the English report keeps English charts

    def test_course_claims_get_the_fixtures_verdicts(self):
        # What the fixture's numbers say: fork+exit costs 65 times pthread_create; a pool runs tasks
        # 4,000 times faster than spawning; shm_ring.spin is fastest but shm_ring.futex and
        # posix_sem+shm are as slow as a pipe; two C++ threads and two processes each run CPU work
        # about 1.8 times as fast as one; the homework's file task 1.99 times as fast in C++ threads but
        # 0.77 times in Python's (threads suit IO only partly); Python's threads 0.97 times (the GIL).
        expected = {
            "claim_process_creation": "confirmed",
            "claim_pools": "confirmed",
            "claim_shm_fastest": "partly",
            "claim_processes_use_cores": "confirmed",
            "claim_threads_no_cpu": "contradicted",
            "claim_threads_suit_io": "partly",
            "claim_python_threads_no_cpu": "confirmed",
        }
        for lang, md in (("en", self.md), ("zh", self.md_zh)):
            labels = catalog.messages(lang)
            for claim, verdict in expected.items():
                row = rf"\| {re.escape(labels[claim])} \| {re.escape(labels[verdict])} \|"
                self.assertRegex(md, row, f"{lang}: {claim} should be {verdict}")

    def test_html_opens_in_headless_chromium_without_console_errors(self):
        if not shutil.which("chromium"):
            self.fail("chromium is missing: `make test` installs it (make test-deps)")
        shot = os.path.join(self.out, "screenshot.png")
        r = subprocess.run(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,1600",
                "--enable-logging=stderr",
                "--v=0",
                f"--screenshot={shot}",
                "file://" + os.path.join(self.out, "report.html"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        console = [line for line in r.stderr.splitlines() if "CONSOLE" in line]
        self.assertEqual(console, [])
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(shot), 20_000)  # a rendered page, not a blank one

    def test_no_chart_text_is_clipped_in_a_1280px_browser(self):
        """Every chart, English and Chinese, laid out in headless Chromium as the report shows it (at most
        1280 px wide): each text element's rendered box lies inside its chart's. The browser draws the text
        with its own fonts, so this catches what matplotlib's own metrics cannot."""
        if not shutil.which("chromium"):
            self.fail("chromium is missing: `make test` installs it (make test-deps)")
        charts = sorted(f for f in os.listdir(self.out) if f.endswith(".svg"))
        page = os.path.join(self.out, "clip-check.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><html><body style='margin:0;width:1280px'>")
            for name in charts:
                with open(os.path.join(self.out, name), encoding="utf-8") as svg:
                    body = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", svg.read())
                f.write(f"<figure data-chart='{name}' style='margin:0;max-width:1280px'>{body}</figure>")
            f.write(
                """<script>
// Measured once the fonts are in: a CJK fallback font laid out before it loads is wider or
// narrower than the one the page ends with (one run in many here reported a whole chart "clipped").
document.fonts.ready.then(() => {
const clipped = [];
document.querySelectorAll('figure').forEach(fig => {
  const svg = fig.querySelector('svg');
  svg.style.maxWidth = '100%'; svg.style.height = 'auto';
  const box = svg.getBoundingClientRect();
  svg.querySelectorAll('text').forEach(t => {
    const r = t.getBoundingClientRect();
    if (!t.textContent.trim() || r.width === 0) return;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
      clipped.push(fig.dataset.chart + ': ' + t.textContent.trim());
  });
});
document.body.setAttribute('data-clipped', JSON.stringify(clipped));
document.body.setAttribute('data-checked', document.querySelectorAll('figure').length);
});
</script></body></html>"""
            )
        r = subprocess.run(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=1280,900",
                "--virtual-time-budget=10000",  # run the fonts.ready callback before the dump
                "--dump-dom",
                "file://" + page,
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        checked = re.search(r'data-checked="(\d+)"', r.stdout)
        self.assertIsNotNone(checked, "the check did not run")
        self.assertEqual(int(checked.group(1)), len(charts))
        clipped = json.loads(html.unescape(re.search(r'data-clipped="([^"]*)"', r.stdout).group(1)))
        self.assertEqual(clipped, [], "text outside its chart")


class ReportInput(unittest.TestCase):
    def test_bad_results_are_refused_in_one_line_with_exit_2(self):
        out = tempfile.mkdtemp(prefix="ipcbench-report-test-")
        try:
            truncated = os.path.join(out, "truncated.json")
            with open(FIXTURE, encoding="utf-8") as src, open(truncated, "w", encoding="utf-8") as dst:
                dst.write(src.read()[:5000])
            not_gbench = os.path.join(out, "other.json")
            with open(not_gbench, "w", encoding="utf-8") as f:
                f.write('{"hello": 1}')
            for step in ("plots.report", "plots.render"):  # the report and the plot step alike
                for path, needle in (
                    (truncated, "not valid JSON"),
                    (not_gbench, "no 'benchmarks' list"),
                    (os.path.join(out, "missing.json"), "cannot read"),
                ):
                    r = run("-m", step, path, "--out-dir", os.path.join(out, "r"))
                    self.assertEqual(r.returncode, 2, (step, r.stderr))
                    self.assertIn(needle, r.stderr)
                    self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
                    self.assertFalse(os.path.exists(os.path.join(out, "r", "report.html")))
                    self.assertFalse(os.path.exists(os.path.join(out, "r", "latency.svg")))
        finally:
            shutil.rmtree(out)

    def test_several_runs_side_by_side_show_each_machine_and_ratio(self):
        out = tempfile.mkdtemp(prefix="ipcbench-report-test-")
        try:
            r = run("-m", "plots.report", FIXTURE, FIXTURE, FIXTURE, "--out-dir", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
                md = f.read()
            self.assertIn("## Runs side by side", md)
            self.assertIn("| benchmark | A | B | B / A | C | C / A |", md)
            self.assertEqual(md.count("| default-subset.json | vm | AMD EPYC |"), 3)  # each run's machine
            comparison = md[md.index("| benchmark | A | B | B / A | C | C / A |") :]
            fork = next(line for line in comparison.splitlines() if line.startswith("| spawn/fork |"))
            self.assertTrue(fork.endswith("| 1.00 | 2.76 ms | 1.00 |"), fork)  # the same file: every ratio 1
        finally:
            shutil.rmtree(out)


if __name__ == "__main__":
    unittest.main()


class PrintedReport(unittest.TestCase):
    """The hand-in: scripts/print-pdf prints both reports of a run to A4 PDFs beside them, whole pages,
    and leaves nothing half-written."""

    def test_both_reports_print_to_a4_pdfs(self):
        if not shutil.which("chromium"):
            self.fail("chromium is missing: `make test` installs it (make test-deps)")
        with tempfile.TemporaryDirectory(prefix="ipcbench-pdf-test-") as tmp:
            run_json = os.path.join(tmp, "run.json")
            shutil.copy(FIXTURE, run_json)
            for lang in ("en", "zh"):
                self.assertEqual(run("-m", "plots.report", run_json, "--lang", lang).returncode, 0)
            r = subprocess.run(
                [os.path.join(ROOT, "scripts", "print-pdf"), run_json], capture_output=True, text=True, timeout=300
            )
            self.assertEqual(r.returncode, 0, r.stderr)
            out = os.path.join(tmp, "run")
            for name in ("report.pdf", "report.zh.pdf"):
                with open(os.path.join(out, name), "rb") as f:
                    pdf = f.read()
                self.assertTrue(pdf.startswith(b"%PDF-"), name)
                boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
                pages = len(re.findall(rb"/Type /Page[^s]", pdf))
                self.assertGreaterEqual(pages, 4, name)  # the whole report, not a first screen
                self.assertEqual(len(boxes), pages, name)
                for w, h in boxes:  # A4: 210 x 297 mm = 595 x 842 points
                    self.assertAlmostEqual(float(w), 595, delta=1)
                    self.assertAlmostEqual(float(h), 842, delta=1)
                self.assertIn(f"{name} ({pages} pages)", r.stdout)
            self.assertEqual([f for f in os.listdir(out) if f.endswith(".partial")], [])

    def test_a_run_without_a_report_is_refused_in_one_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run(
                [os.path.join(ROOT, "scripts", "print-pdf"), os.path.join(tmp, "none.json")],
                capture_output=True,
                text=True,
            )
            self.assertEqual(r.returncode, 2)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn("make report", r.stderr)
