#!/usr/bin/env python3
"""This machine's run-to-run noise, per benchmark: an A/A history (two runs of one build, one after the
other, as `make baseline` takes them) that gives each benchmark its own threshold for comparisons of
runs that were not interleaved, so quiet benchmarks are judged more tightly than multimodal ones.

A pair is recorded by scripts/compare A.json A2.json --record-noise HISTORY.json (make baseline does).
usage: python3 -m tracking.noise HISTORY.json   (each benchmark's threshold)
"""
import json
import os
import sys

from . import files

KEEP = 30  # pairs: the machine's noise drifts too (kernel, neighbours), so old pairs age out
# A shorter history judges nothing: a benchmark can move little between two runs once and a lot the next
# time, so a history of one or three pairs still left the next A/A pair with benchmarks "changed" (the
# measurements: docs/tracking.md).
MIN_PAIRS = 9  # three `make baseline` runs
SAFETY = 2  # a threshold is this times the largest change seen between two runs of one build
FLOOR_QUANTILE = 0.9  # and at least this quantile of those across benchmarks


class HistoryError(Exception):
    pass


def load(path, missing_ok=True):
    """The history's pairs (a list); a missing file is an empty history, where `missing_ok`."""
    if missing_ok and not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise HistoryError(f"cannot read the A/A history '{path}': {e}; delete it and run `make baseline`") from e
    if not isinstance(data, dict) or not isinstance(data.get("pairs"), list):
        raise HistoryError(f"'{path}' is not an A/A history (no 'pairs' list); delete it and run `make baseline`")
    return data["pairs"]


def record(path, changes, when):
    """Appends one A/A pair's changes ({name: {field: relative change}}); returns the pairs kept."""
    pairs = (load(path) + [{"date": when, "changes": changes}])[-KEEP:]
    files.write_json(path, {"pairs": pairs})
    return pairs


def thresholds(pairs):
    """{name: {field: smallest change that counts}}: SAFETY times the largest change the history saw, and
    at least the FLOOR_QUANTILE of those across benchmarks (a few quiet pairs must not make a benchmark look
    quiet); nothing while the history has fewer than MIN_PAIRS pairs."""
    if len(pairs) < MIN_PAIRS:
        return {}
    largest = {}
    for pair in pairs:
        for name, fields in pair["changes"].items():
            for field, change in fields.items():
                key = (name, field)
                largest[key] = max(largest.get(key, 0), abs(change))
    if not largest:
        return {}
    ordered = sorted(largest.values())
    typical = ordered[min(len(ordered) - 1, int(FLOOR_QUANTILE * len(ordered)))]
    out = {}
    for (name, field), value in largest.items():
        out.setdefault(name, {})[field] = max(SAFETY * value, typical)
    return out


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    try:
        limits = thresholds(load(argv[1], missing_ok=False))
    except HistoryError as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    for name, fields in sorted(limits.items()):
        print(name, " ".join(f"{f}={v * 100:.0f}%" for f, v in fields.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
