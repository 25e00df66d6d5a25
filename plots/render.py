#!/usr/bin/env python3
"""Charts for an ipcbench run: every family present in the results, as SVG and PNG.

usage: python3 -m plots.render RESULTS.json [--out-dir DIR]
DIR defaults to results/<run-id>/ next to the JSON (the run id is the file's name, following
results/latest.json to its target). Families absent from the results are skipped, not errors.
"""
import argparse
import os

from . import catalog
from .model import results
from . import sections
from . import style


def default_out_dir(results_path):
    real = os.path.realpath(results_path)
    run_id = os.path.splitext(os.path.basename(real))[0]
    return os.path.join(os.path.dirname(real), run_id)


def render_records(records, context, out_dir, lang="en"):
    """Draws every chart the records allow, in report order, its words in `lang` (zh charts are saved
    as <id>.zh.svg). Returns {chart id: [svg path, png path]}."""
    os.makedirs(out_dir, exist_ok=True)
    messages = catalog.messages(lang)
    written = {}
    with style.language(lang):  # the font with the language's glyphs, while drawing and saving
        for section in sections.SECTIONS:
            fig = section.draw(records, context, messages)
            if fig is not None:
                stem = section.id if lang == "en" else f"{section.id}.{lang}"
                written[section.id] = style.save(fig, out_dir, stem)
    return written


def render(results_path, out_dir=None):
    data = results.load(results_path)
    records = results.per_benchmark(data)
    out_dir = out_dir or default_out_dir(results_path)
    written = render_records(records, data.get("context", {}), out_dir)
    failed = [r["name"] for r in records if "error" in r and not results.is_skip(r)]
    return out_dir, written, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--out-dir")
    args = ap.parse_args()
    try:
        out_dir, written, failed = render(args.results, args.out_dir)
    except results.ResultsError as e:
        results.fail(str(e))
    if not written:
        print(f"ipcbench: nothing to chart in {args.results}")
    for paths in written.values():
        for path in paths:
            print(f"chart: {path}")
    if failed:
        print(f"ipcbench: {len(failed)} failed benchmarks left out of the charts: {', '.join(failed[:5])}")


if __name__ == "__main__":
    main()
