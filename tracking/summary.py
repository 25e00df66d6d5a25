"""The comparison as a reader gets it: a Markdown summary of the verdicts, the warnings about how the
runs were taken, and the exit code (1 only on a regression)."""
from .judging import VERDICTS


def exit_status(rows, note):
    whole_run_regressed = note["whole_run"] and note["whole_run"][0] == "regressed"
    return 1 if whole_run_regressed or any(r["verdict"] == "regressed" for r in rows) else 0


def machine_warning(base, cand):
    keys = ("host_name", "cpu_model", "num_cpus")
    a, b = base.get("context", {}), cand.get("context", {})
    differ = [k for k in keys if a.get(k) != b.get(k)]
    if not differ:
        return None
    return (
        "WARNING: the two runs come from different machines ("
        + ", ".join(f"{k}: {a.get(k)} vs {b.get(k)}" for k in differ)
        + "); their differences are the machines', not the code's. Compare on one machine (scripts/ab)."
    )


def not_interleaved_warning(note):
    judged = (
        "each change is judged against this machine's A/A history (--noise), after that normalisation"
        if note["noise"]
        else "with no A/A history (--noise, written by `make baseline`) no change can "
        "convict: changes are listed as too noisy to tell"
    )
    return (
        "WARNING: these runs were not interleaved: this machine's pace changes by 10-35 % from one run to "
        "the next, so their differences mix the machine's with the code's. The candidate was normalised by "
        "the median change over all benchmarks; " + judged + ". For a verdict, use scripts/ab."
    )


def fmt_metric(field, m):
    v, r = m
    p = "" if r["pvalue"] is None else f", p={r['pvalue']:.2g}"
    rounds = "" if not r.get("rounds") else f", in {r['rounds'][0]} of {r['rounds'][1]} rounds"
    return f"{field} {r['change'] * 100:+.1f}%{p}{rounds}"


def rounds_lines(note, threshold):
    lines = []
    if note.get("whole_run"):
        verdict, moved, n, shift = note["whole_run"]
        lines += [
            f"**The candidate as a whole {verdict}**: across all benchmarks its runs were {shift * 100:+.1f} % "
            f"(real time) against the baseline's, by {threshold * 100:.0f} % or more in {moved} of {n} rounds.",
            "",
        ]
    if note.get("pace"):
        lines += [
            f"The candidate's run against the baseline's, over all benchmarks: {(note['pace'] - 1) * 100:+.0f} %; "
            "the candidate is judged at the baseline's pace.",
            "",
        ]
    return lines


def summary(rows, only_base, only_cand, warning, threshold, alpha, note=None):
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    lines = ["## ipcbench: performance comparison", ""]
    if warning:
        lines += [f"> **{warning}**", ""]
    if note and not note["interleaved"]:
        lines += [f"> **{not_interleaved_warning(note)}**", ""]
    lines += rounds_lines(note or {}, threshold)
    lines.append(
        f"{len(rows)} benchmarks compared (a change of {threshold * 100:.0f} % or more at p < {alpha}): "
        + ", ".join(f"**{counts[v]} {v}**" for v in VERDICTS)
    )
    lines.append("")
    for verdict in ("regressed", "improved", "too noisy to tell"):
        chosen = [r for r in rows if r["verdict"] == verdict]
        if not chosen:
            continue
        lines += [
            f"### {verdict.capitalize()} ({len(chosen)})",
            "",
            "| benchmark | changes | repetitions | rounds |",
            "|---|---|---|---|",
        ]
        for r in chosen:
            changes = "; ".join(fmt_metric(f, m) for f, m in r["metrics"].items() if m[0] == verdict)
            lines.append(
                f"| `{r['name']}` | {changes} | {r['repetitions'][0]} vs {r['repetitions'][1]} | "
                f"{r.get('decided_after', r.get('rounds_run', 1))} |"
            )
        lines.append("")
    for title, names in (("Only in the baseline", only_base), ("Only in the candidate", only_cand)):
        if names:
            lines += [f"### {title} ({len(names)})", ""] + [f"- `{n}`" for n in names] + [""]
    return "\n".join(lines)
