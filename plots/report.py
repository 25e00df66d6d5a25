#!/usr/bin/env python3
"""The report of an ipcbench run: report.html (self-contained, charts inline as SVG) and report.md.

usage: python3 -m plots.report RESULTS.json [B.json] [--lang en|zh] [--out-dir DIR]
With two results files the report shows both and the ratio B / A of every benchmark they share.
Charts are drawn first (render.py), then every conclusion is computed from the JSON.
"""
import argparse
import html
import os
import re

from .analysis import findings
from .analysis import kernel_cost
from . import catalog
from .analysis import python_vs_cpp
from .analysis import uncertainty
from .model import query
from . import key_figures
from . import render
from . import sections
from .model import results
from . import texts

CONTEXT_KEYS = [  # what the report shows of the run's context, each labelled by its ctx_<key> message
    "cpu_model",
    "num_cpus",
    "kernel",
    "virtualization",
    "cpufreq_governor",
    "compiler",
    "ipcbench_profile",
    "date",
    "ipcbench_git_sha",
]


def caveats(data, records, lang):
    """What about this run's machine makes its figures harder to read, in `lang`."""
    L = catalog.messages(lang)
    ctx, out = data.get("context", {}), []
    cpus = ctx.get("num_cpus")
    if cpus and cpus <= 2:
        out.append(L["caveat_cpus"].format(cpus=cpus))
    virt = str(ctx.get("virtualization", ""))
    if virt and virt not in ("none", ""):
        out.append(L["caveat_virtual_machine"].format(virtualization=virt.strip()))
    if ctx.get("cpu_scaling_enabled") or ctx.get("cpufreq_governor") not in (None, "unavailable", "performance"):
        out.append(L["caveat_cpufreq"])
    noisy = [
        b["run_name"] for b in data["benchmarks"] if b.get("aggregate_name") == "cv" and b.get("real_time", 0) > 0.05
    ]
    if noisy:
        out.append(L["caveat_noisy"].format(count=len(noisy)))
    drift = uncertainty.pace_drift(records)
    if drift:
        out.append(L["caveat_pace"].format(floor=drift[0], moved=f"{drift[1] * 100:.0f} %"))
    return out


def inline_svg(path):
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    return re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)


class Doc:
    """Writes the same content as HTML and Markdown at once, with a table of contents of its sections."""

    TOC = "\0toc\0"

    def __init__(self):
        self.html, self.md, self.sections = [], [], []

    def heading(self, text, level=2):
        anchor = f"s{len(self.sections) + 1}"
        if level == 2:
            self.sections.append((anchor, text))
        self.html.append(
            f'<h{level} id="{anchor}">{html.escape(text)}</h{level}>'
            if level == 2
            else f"<h{level}>{html.escape(text)}</h{level}>"
        )
        self.md.append(f"{'#' * level} {text}\n")

    def contents(self, title):
        """Marks where the table of contents goes; it lists the sections that follow the mark."""
        self.html.append(self.TOC)
        self.md.append(self.TOC)
        self.toc_title, self.toc_from = title, len(self.sections)

    def finish(self):
        """The HTML body and the Markdown text, the table of contents filled in."""
        listed = self.sections[self.toc_from :] if self.TOC in self.html else []
        toc_html = (
            f"<nav><h2>{html.escape(self.toc_title)}</h2><ol>"
            + "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in listed)
            + "</ol></nav>"
            if listed
            else ""
        )
        toc_md = (
            f"## {self.toc_title}\n\n" + "\n".join(f"{i}. {t}" for i, (_, t) in enumerate(listed, 1)) + "\n"
            if listed
            else ""
        )
        return (
            "".join(toc_html if h == self.TOC else h for h in self.html),
            "\n".join(toc_md if m == self.TOC else m for m in self.md),
        )

    def para(self, text):
        self.html.append(f"<p>{html.escape(text)}</p>")
        self.md.append(f"{text}\n")

    def bullets(self, items):
        if not items:
            return
        self.html.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
        self.md.append("\n".join(f"- {i}" for i in items) + "\n")

    def table(self, header, rows):
        if not rows:
            return
        h = "".join(f"<th>{html.escape(str(c))}</th>" for c in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
        self.html.append(f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>")
        self.md.append(
            "| "
            + " | ".join(map(str, header))
            + " |\n|"
            + "---|" * len(header)
            + "\n"
            + "\n".join("| " + " | ".join(map(str, r)) + " |" for r in rows)
            + "\n"
        )

    def chart(self, paths, alt):
        svg = next((p for p in paths if p.endswith(".svg")), None)
        if not svg:
            return
        self.html.append(f'<figure role="img" aria-label="{html.escape(alt)}">{inline_svg(svg)}</figure>')
        self.md.append(f"![{alt}]({os.path.basename(svg)})\n")


STYLE = """body{font-family:'DejaVu Sans','Noto Sans CJK SC',sans-serif;max-width:1100px;margin:1.5em auto;
padding:0 1em;color:#111;line-height:1.35}h1{margin:.2em 0}h2{margin:1.2em 0 .4em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.15em .5em;font-size:.88em}
th{background:#eee}figure{margin:1em 0}figure svg{max-width:100%;height:auto}.ok{color:#060}.no{color:#a00}
nav ol{columns:2;font-size:.9em}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;margin:0;font-size:9pt}nav{display:none}figure,tr{break-inside:avoid}
h2,h3{break-after:avoid}td,th{font-size:7.5pt;padding:.1em .3em}td{overflow-wrap:break-word}
figure svg{max-height:240mm}}"""


def verdict_text(v, L):
    return L["not_measured"] if v is None else L[v]


def python_section(doc, records, lang, gil):
    """Python vs C++: the course mechanisms beside what they rest on, then the homework in both."""
    L = catalog.messages(lang)
    rows = python_vs_cpp.mechanism_rows(records)
    homework = python_vs_cpp.homework_rows(records)
    if not rows and not any(py for py, _ in homework.values()):
        return
    doc.heading(L["py_vs_cpp"])
    doc.para(L["py_vs_cpp_text"])
    doc.table(
        [L["py_mechanism"], L["kind"], L["python"], L["rests_on"], L["cpp"], L["slower_by"], L["adds"]],
        [
            (
                r["python"],
                L["kind_" + r["kind"]],
                texts.py_value(r["field"], r["py_value"]),
                r["cpp"] or "—",
                texts.py_value(r["field"], r["cpp_value"]),
                texts.times(r["slower"]) if r["slower"] else "—",
                L.get("adds:" + r["key"], ""),
            )
            for r in rows
        ],
    )
    if homework:
        doc.heading(L["py_homework"], 3)
        doc.table(
            [L["task"], L["mode"], L["python"], L["cpp"], L["slower_by"]],
            [
                (
                    L.get(task, task),
                    L.get(mode, mode),
                    f"{py:.4g} ms" if py else "—",
                    f"{cpp:.4g} ms" if cpp else "—",
                    texts.times(py / cpp) if py and cpp else "—",
                )
                for (task, mode), (py, cpp) in homework.items()
            ],
        )
    if gil:
        doc.para(texts.sentence(lang, "gil", gil))


def _count_cell(row, field):
    """A count per round trip: two digits, and below a hundredth (a stray wake-up) "<0.01"."""
    if field not in row:
        return "—"
    x = row[field]
    return f"{x:.2g}" if x >= 0.01 else ("<0.01" if x > 0 else "0")


def _cpu_cell(L, row):
    """The CPU of a round trip and the share of it in user code: the split is sampled at the scheduler's tick
    and its two parts are medians of their own, so a share reads true where two durations would not add up."""
    user, system = row.get("user_ns"), row.get("system_ns")
    if user is None or system is None or user + system <= 0:
        return texts.ns(row["cpu_ns"])
    return L["kc_cpu_cell"].format(cpu=texts.ns(row["cpu_ns"]), user=f"{user / (user + system):.0%}")


def kernel_section(doc, records, lang, f, ctx, written):
    """What one message costs the kernel, per mechanism: the table, its chart and what follows from it."""
    L = catalog.messages(lang)
    table = kernel_cost.rows(records)
    if not table:
        return
    doc.heading(L["kernel_cost"])
    doc.para(L["kernel_cost_text"])
    absent = ctx.get("kernel_events", {}).get("absent")
    if absent and not any("syscalls" in row for row in table):
        doc.para(L["kc_not_counted"].format(reason=absent))
    doc.table(
        [L["mechanism"], L["rtt"], L["kc_syscalls"], L["kc_sleeps"], L["kc_involuntary"], L["kc_faults"]]
        + [L["kc_migrations"], L["kc_cpu"], L["kc_helpers"]],
        [
            (
                row["mechanism"],
                texts.ns(row["p50_ns"]),
                *(_count_cell(row, k) for k in ("syscalls", "sleeps", "involuntary", "faults", "migrations")),
                _cpu_cell(L, row),
                texts.ns(row["helper_ns"]) if row.get("helper_ns") else "—",
            )
            for row in table
        ],
    )
    if "kernel_cost" in written:
        doc.chart(written["kernel_cost"], L["section_kernel_cost"])
    doc.bullets([texts.sentence(lang, k, f[k]) for k in ("kernel_cost", "sqpoll_cost", "workers_kernel") if f.get(k)])


def remote_rows(records, L):
    """(mechanism, workload, size, value between hosts, value over loopback) for each net/ result, the
    loopback one being ipc/ with process peers, the same pinning and size."""
    rows = []
    for r in query.family(records, "net"):
        p = r["params"]
        local = query.one(
            records, f"ipc/{r['words'][1]}/{r['words'][2]}/peer:process/pin:{p.get('pin')}" f"/size:{p.get('size')}"
        )
        if r["words"][2] == "latency":
            value = lambda x: f"p50 {texts.ns(x.get('p50_ns'))}, p99 {texts.ns(x.get('p99_ns'))}"
        else:
            value = lambda x: texts.rate(x.get("bytes_per_second"))
        rows.append(
            (
                r["words"][1],
                L["remote_workload"].format(workload=L["workload_" + r["words"][2]], pin=p.get("pin")),
                texts.size(int(p.get("size", 0))),
                value(r),
                value(local) if local else "—",
            )
        )
    return rows


def has_remote_rtt(records):
    return any(r["params"].get("peer") == "remote" for r in query.family(records, "load_rtt"))


def remote_section(doc, records, lang, ctx, written):
    L = catalog.messages(lang)
    rows = remote_rows(records, L)
    if not rows and not has_remote_rtt(records):
        return
    remote = ctx.get("remote", {})
    doc.heading(L["between_hosts"])
    doc.para(
        L["between_hosts_text"].format(
            address=remote.get("address", "?"), host=remote.get("context", {}).get("host_name", "?")
        )
    )
    if rows:
        doc.table([L["benchmark"], "", "", L["remote"], L["loopback"]], rows)
    if has_remote_rtt(records) and "load_rtt_knee" in written:
        doc.heading(L["between_hosts_rtt"], 3)
        doc.para(L["between_hosts_rtt_text"])
        doc.chart(written["load_rtt_knee"], L["between_hosts_rtt"])
        doc.table([L["benchmark"], L["value"]], key_figures.load_rtt_knee(records, {}, L))


def build(data, records, written, lang, results_path, runs=None):
    L = catalog.messages(lang)
    ctx = data.get("context", {})
    cpus = ctx.get("num_cpus")
    facts = results.mechanism_facts(data)
    f = findings.all_findings(records, cpus, facts, sections.budgets(ctx))
    doc = Doc()
    doc.heading(L["title"], 1)
    decided = findings.decisions(records, facts, sections.budgets(ctx))
    if decided:
        doc.heading(L["decide"])
        doc.para(L["decide_text"].format(margin=f"{uncertainty.RERUN_MARGIN * 100:.0f} %"))
        doc.table([L["need"], L["pick"], L["runner_up"], L["price"]], [texts.decision_row(lang, d) for d in decided])
    doc.contents(L["contents"])
    doc.heading(L["machine"])
    doc.table([L["item"], L["value"]], [(L["ctx_" + k], ctx[k]) for k in CONTEXT_KEYS if k in ctx])
    doc.heading(L["caveats"], 3)
    doc.bullets(caveats(data, records, lang) or [L["no_caveats"]])

    doc.heading(L["conclusions"])
    doc.bullets(
        [
            texts.sentence(lang, k, v)
            for k, v in f.items()
            if v is not None and k not in ("homework", "gil", "homework_io")
        ]
    )

    doc.heading(L["claims"])
    doc.table(
        [L["claim"], L["verdict"], L["evidence"]],
        [
            (L[f"claim_{cid}"], verdict_text(v, L), texts.sentence(lang, key, f[key]) if f.get(key) else "—")
            for cid, v, key in findings.claims(f)
        ],
    )
    table = findings.course_table(records, facts)
    if table:
        doc.heading(L["course_table"], 3)
        doc.table(
            [L["mechanism"], L["kind"], L["where"], L["notes_says"], L["rtt"], L["tput"]],
            [
                (
                    r["mechanism"],
                    L[r["kind"]],
                    L[r["where"]],
                    L[r["notes"]],
                    texts.ns(r["p50_ns"]),
                    texts.rate(r["bytes_per_second"]),
                )
                for r in table
            ],
        )

    kernel_section(doc, records, lang, f, ctx, written)

    if f.get("homework"):
        doc.heading(L["homework"])
        doc.para(L["homework_text"])
        hw = f["homework"]
        doc.table(
            [L["task"], L["sequential"], L["threads"], L["processes"]],
            [
                (
                    L.get(task, task),
                    *[texts.ns(times[m] * 1e6) if m in times else "—" for m in ("sequential", "threads", "processes")],
                )
                for task, times in sorted(hw.items())
            ],
        )
        if "homework" in written:
            doc.chart(written["homework"], L["section_homework"])
        spawn = f.get("spawn_ratio")
        for paragraph in texts.homework_explanation(
            lang, hw, spawn["fork_ns"] if spawn else None, f.get("homework_io")
        ):
            doc.para(paragraph)

    python_section(doc, records, lang, f.get("gil"))
    remote_section(doc, records, lang, ctx, written)

    doc.heading(L["charts"])
    for section in sections.SECTIONS:
        if not section.among_charts or section.id not in written:
            continue
        if section.id == "load_rtt_knee" and has_remote_rtt(records):
            continue  # the round trips between hosts are drawn in their own section
        doc.heading(L[section.heading], 3)
        doc.chart(written[section.id], L[section.heading])
        doc.bullets([texts.sentence(lang, k, f[k]) for k in section.findings if f.get(k)])
        doc.table([L["benchmark"], L["value"]], section.key_figures(records, facts, L))

    if runs:
        comparison_section(doc, runs, lang)
    doc.para(L["footer"].format(path=os.path.basename(results_path)))
    body, md = doc.finish()
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(L["title"])}'
        f"</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
    return page, md


def headline(r):
    """(value, unit) a benchmark is compared by: a rate when it has one, else its time in ns."""
    for key in ("bytes_per_second", "items_per_second"):
        if r.get(key):
            return r[key], key
    return query.value_ns(r), "ns"


RUN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def comparison_rows(runs):
    """One row per benchmark of the first run that another run also measured: each run's headline value and
    its ratio to the first run's (a time or a rate, as the benchmark reports it)."""
    others = [{r["name"]: r for r in rs if "error" not in r} for rs in runs[1:]]
    rows = []
    for r in runs[0]:
        if "error" in r or not any(r["name"] in o for o in others):
            continue
        va, unit = headline(r)
        fmt = texts.ns if unit == "ns" else (texts.rate if unit == "bytes_per_second" else texts.per_second)
        row = [r["name"], fmt(va)]
        for o in others:
            if r["name"] in o:
                vb, _ = headline(o[r["name"]])
                row += [fmt(vb), f"{vb / va:.2f}" if va else "—"]
            else:
                row += ["—", "—"]
        rows.append(tuple(row))
    return rows


def machine_rows(runs):
    """Which machine and revision each run is: the context keys a reader tells runs apart by."""
    rows = []
    for letter, (path, data, _) in zip(RUN_LETTERS, runs):
        ctx = data.get("context", {})
        rows.append(
            (
                letter,
                os.path.basename(path),
                str(ctx.get("host_name", "—")),
                str(ctx.get("cpu_model", "—")),
                str(ctx.get("num_cpus", "—")),
                str(ctx.get("kernel", "—")),
                str(ctx.get("ipcbench_git_sha", "—"))[:10],
                str(ctx.get("date", "—")),
            )
        )
    return rows


def comparison_section(doc, runs, lang):
    L = catalog.messages(lang)
    doc.heading(L["comparison"])
    doc.table([L["run"], L["file"], L["host"], "CPU", L["cpus"], L["kernel"], "git", L["date"]], machine_rows(runs))
    header = ["benchmark", "A"]
    for letter in RUN_LETTERS[1 : len(runs)]:
        header += [letter, f"{letter} / A"]
    doc.table(header, comparison_rows([records for _, _, records in runs]))


def write_report(results_path, lang="en", out_dir=None, other_paths=()):
    # Every input is read before anything is written: a bad second file leaves no charts behind.
    data = results.load(results_path)
    others = [(p, d, results.per_benchmark(d)) for p, d in ((p, results.load(p)) for p in other_paths)]
    records = results.per_benchmark(data)
    out_dir = out_dir or render.default_out_dir(results_path)
    written = render.render_records(records, data.get("context", {}), out_dir, lang)
    runs = [(results_path, data, records)] + others if others else None
    page, md = build(data, records, written, lang, results_path, runs)
    suffix = "" if lang == "en" else f".{lang}"
    paths = []
    for name, text in ((f"report{suffix}.html", page), (f"report{suffix}.md", md)):
        path = os.path.join(out_dir, name)
        tmp = path + ".partial"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)  # never a half-written report
        paths.append(path)
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument(
        "others", nargs="*", help="more runs (machines or revisions): one column each, and its " "ratio to the first"
    )
    ap.add_argument("--lang", choices=["en", "zh"], default="en")
    ap.add_argument("--out-dir")
    args = ap.parse_args()
    try:
        paths = write_report(args.results, args.lang, args.out_dir, args.others)
    except results.ResultsError as e:
        results.fail(str(e))
    for p in paths:
        print(f"report: {p}")


if __name__ == "__main__":
    main()
