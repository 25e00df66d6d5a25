#!/usr/bin/env python3
"""Charts for an ipcbench run: latency and throughput vs message size.

usage: render.py RESULTS.json [--out-dir DIR]
Writes DIR/latency.{svg,png} and DIR/throughput.{svg,png}; DIR defaults to results/<run-id>/
next to the JSON (the run id is the file's name, following results/latest.json to its target).
Families absent from the results are skipped, not errors.
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402

PIN_ORDER = ["none", "same", "cross"]
PEER_STYLE = {"process": "-", "thread": "--"}


def size_label(n):
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n // scale} {unit}"
    return f"{n} B"


def ipc_series(records, workload):
    """{pin: {(mechanism, peer): [(size, record), ...]}} for the ipc family's given workload."""
    out = {}
    for r in records:
        words, p = r["words"], r["params"]
        if len(words) < 3 or words[0] != "ipc" or words[2] != workload or "error" in r:
            continue
        key = (words[1], p.get("peer", "?"))
        out.setdefault(p.get("pin", "none"), {}).setdefault(key, []).append((int(p["size"]), r))
    for lines in out.values():
        for points in lines.values():
            points.sort(key=lambda sr: sr[0])
    return out


def plot_family(series, title, ylabel, value, band=None):
    pins = [p for p in PIN_ORDER if p in series]
    fig, axes = plt.subplots(1, len(pins), figsize=(5.5 * len(pins), 4.5), squeeze=False, sharey=True)
    colors = {}
    for ax, pin in zip(axes[0], pins):
        for (mechanism, peer), points in sorted(series[pin].items()):
            color = colors.setdefault(mechanism, f"C{len(colors)}")
            xs = [s for s, _ in points]
            ax.plot(xs, [value(r) for _, r in points], PEER_STYLE.get(peer, ":"), marker="o",
                    markersize=3, color=color, label=f"{mechanism} ({peer})")
            if band:
                lo, hi = zip(*[band(r) for _, r in points])
                ax.fill_between(xs, lo, hi, color=color, alpha=0.12, linewidth=0)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_title(f"pin: {pin}")
        ax.set_xlabel("message size")
        ticks = sorted({s for pts in series[pin].values() for s, _ in pts})
        ax.set_xticks(ticks)
        ax.set_xticklabels([size_label(t) for t in ticks], rotation=45, fontsize=7)
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel(ylabel)
    axes[0][-1].legend(fontsize=7, loc="best")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def save(fig, out_dir, stem):
    paths = []
    for ext in ("svg", "png"):
        path = os.path.join(out_dir, f"{stem}.{ext}")
        fig.savefig(path, dpi=120)
        paths.append(path)
    plt.close(fig)
    return paths


def default_out_dir(results_path):
    real = os.path.realpath(results_path)
    run_id = os.path.splitext(os.path.basename(real))[0]
    return os.path.join(os.path.dirname(real), run_id)


def render(results_path, out_dir=None):
    records = results.per_benchmark(results.load(results_path))
    out_dir = out_dir or default_out_dir(results_path)
    os.makedirs(out_dir, exist_ok=True)
    written = []
    latency = ipc_series(records, "latency")
    if latency:
        fig = plot_family(latency, "IPC round-trip latency (p50 line, p50-p99 band)",
                          "round trip (µs)", lambda r: r.get("p50_ns", 0) / 1e3,
                          band=lambda r: (r.get("p50_ns", 0) / 1e3, r.get("p99_ns", 0) / 1e3))
        written += save(fig, out_dir, "latency")
    throughput = ipc_series(records, "throughput")
    if throughput:
        fig = plot_family(throughput, "IPC throughput (consumer-verified)", "MB/s",
                          lambda r: r.get("bytes_per_second", 0) / 1e6)
        written += save(fig, out_dir, "throughput")
    failed = [r["name"] for r in records if "error" in r]
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
        print(f"ipcbench: no ipc latency or throughput results in {args.results}; nothing to chart")
    for path in written:
        print(f"chart: {path}")
    if failed:
        print(f"ipcbench: {len(failed)} failed benchmarks left out of the charts: {', '.join(failed[:5])}")


if __name__ == "__main__":
    main()
