"""Runs two or more builds' benchmarks interleaved in small blocks, so the samples of one benchmark from
each build are taken about a second apart and share the machine's pace and, mostly, its wake-up mode.

A round runs every block once per side, the sides' order taking every permutation in turn (so each side
runs before each other side equally often); a block is a few benchmarks of one family (about a second
with one repetition each).
"""
import collections
import glob
import itertools
import os
import re
import subprocess
import time

from plots.model import results

BLOCK_SIZE = 8
_ERE_SPECIAL = re.compile(r"([.\[\]()*+?{}|^$\\])")


class RunError(Exception):
    pass


class Side:
    """One build under test: a label (also its file prefix), its ipcbench and the arguments every run gets."""

    def __init__(self, label, binary, args):
        self.label, self.binary, self.args = label, binary, list(args)

    def command(self, names, repetitions, out):
        return [
            self.binary,
            *self.args,
            f"--benchmark_repetitions={repetitions}",
            f"--filter={name_filter(names)}",
            f"--out={out}",
        ]


def name_filter(names):
    """An extended regex matching exactly these benchmark names."""
    return "^(" + "|".join(_ERE_SPECIAL.sub(r"\\\1", n) for n in names) + ")$"


def list_benchmarks(side):
    r = subprocess.run([side.binary, *side.args, "--list"], capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise RunError(f"{side.binary} --list failed: {(r.stderr.strip().splitlines() or ['?'])[-1]}")
    return [line for line in r.stdout.splitlines() if line and not line.startswith("py/")]


def blocks(names, size=BLOCK_SIZE):
    """Consecutive (so mostly same-family) benchmarks in blocks of about `size`."""
    count = max(1, round(len(names) / size))
    step = len(names) / count
    return [names[round(i * step) : round((i + 1) * step)] for i in range(count)]


class Record:
    """One run of one side on one block: where its results are, and which round and block it belongs to."""

    def __init__(self, side, round_number, block, path):
        self.side, self.round, self.block, self.path = side, round_number, block, path


def run_block(side, names, repetitions, path):
    log = path[:-5] + ".log"
    with open(log, "w", encoding="utf-8") as f:
        rc = subprocess.run(
            side.command(names, repetitions, path), stdout=f, stderr=subprocess.STDOUT, check=False
        ).returncode
    if rc not in (0, 1):  # 1: some benchmark failed, the run is still written
        raise RunError(f"the {side.label} run failed (exit {rc}); see {log}")
    return rc


def side_order(sides, k):
    """The k-th order of `sides`, cycling through every permutation. A rotation would not do for three: it
    runs A before A' in two blocks of three, and a run's place after another (a warm cache, a CPU that has
    just been busy) would read as a difference between the two."""
    orders = list(itertools.permutations(sides))
    return list(orders[k % len(orders)])


class Schedule:
    """Runs rounds of blocks for several sides in counterbalanced order and keeps a Record of every run."""

    def __init__(self, sides, repetitions, out_dir, budget_seconds=float("inf"), progress=None):
        self.sides, self.repetitions, self.out_dir = sides, repetitions, out_dir
        self.deadline = time.monotonic() + budget_seconds
        self.progress = progress or (lambda text: None)
        self.records, self.failed, self.rounds_run = [], set(), 0
        self.seconds_per_benchmark_round = None  # measured, to plan within the time budget

    def round(self, block_list):
        """One more round of `block_list`; the sides' order changes with the round and the block."""
        self.rounds_run += 1
        r, started = self.rounds_run, time.monotonic()
        for b, names in enumerate(block_list, 1):
            for side in side_order(self.sides, r + b):
                self.progress(f"round {r}, block {b}/{len(block_list)}: {side.label}")
                path = os.path.join(self.out_dir, f"{side.label}-r{r}-b{b}.json")
                if run_block(side, names, self.repetitions, path) == 1:
                    self.failed.add(side.label)
                self.records.append(Record(side.label, r, f"{r}.{b}", path))
        count = sum(len(names) for names in block_list)
        self.seconds_per_benchmark_round = (time.monotonic() - started) / count

    def fits(self, rounds, block_list):
        """Whether `rounds` more rounds of `block_list` should end within the budget, at the last round's pace."""
        per_round = (self.seconds_per_benchmark_round or 0) * sum(len(names) for names in block_list)
        return time.monotonic() + rounds * per_round <= self.deadline

    def merged(self, label):
        return merge_records(r for r in self.records if r.side == label)


def merge_records(records):
    """Runs as one results file: every measured repetition tagged with its round and block."""
    merged = None
    for rec in records:
        try:
            data = results.load(rec.path)
        except results.ResultsError as e:
            raise RunError(str(e)) from e
        if merged is None:
            merged = {"context": data.get("context", {}), "benchmarks": []}
        merged["benchmarks"] += [
            dict(b, ipcbench_round=rec.round, ipcbench_block=rec.block)
            for b in data.get("benchmarks", [])
            if b.get("run_type", "iteration") == "iteration"
        ]
    return merged or {"context": {}, "benchmarks": []}


_RUN_FILE = re.compile(r"^(?P<side>[^/]+)-r(?P<round>\d+)-b(?P<block>\d+)\.json$")


class Replay:
    """A finished Schedule read back from its directory, revealed round by round, so recorded runs can be
    judged again (with another rule) exactly as they were judged while running."""

    def __init__(self, out_dir):
        self.pending = collections.defaultdict(list)
        for path in glob.glob(os.path.join(out_dir, "*.json")):
            m = _RUN_FILE.match(os.path.basename(path))
            if m:
                r = int(m["round"])
                self.pending[r].append(Record(m["side"], r, f"{r}.{m['block']}", path))
        self.records, self.rounds_run = [], 0

    def round(self, block_list):
        self.rounds_run += 1
        self.records += self.pending.pop(self.rounds_run, [])

    def fits(self, rounds, block_list):
        return all(self.rounds_run + i in self.pending for i in range(1, rounds + 1))

    def merged(self, label):
        return merge_records(sorted((r for r in self.records if r.side == label), key=lambda r: (r.round, r.block)))
