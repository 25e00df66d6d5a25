#!/usr/bin/env python3
"""The A/B run behind scripts/ab: two builds' benchmarks interleaved block by block on this machine, judged
with scripts/compare's verdicts, then more rounds of just the undecided benchmarks while the budget lasts.

usage: python3 -m tracking.ab BASE_BIN CANDIDATE_BIN OUT_DIR [--rounds 15] [--repetitions 1] [--budget 10]
       [--profile ci] [-- IPCBENCH_ARGS...]
Exit: 0 no regression, 1 a regression (or a benchmark the candidate broke), 2 bad input or a failed run.
"""
import argparse
import os
import sys

from . import compare
from . import judging, summary
from . import files
from . import interleave
from . import sequential

# Defaults (scripts/ab's AB_ROUNDS, AB_REPETITIONS, AB_BUDGET). One repetition per block run: the pairs,
# not the repetitions, are the samples (the wake-up mode holds for seconds, so the repetitions of one run
# mostly repeat it), and a round of the ci profile's blocks takes about 20 s for both builds.
ROUNDS = 15
REPETITIONS = 1
BUDGET_MINUTES = 10


def progress(text):
    print(f"ipcbench: {text}", file=sys.stderr, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base_bin")
    ap.add_argument("cand_bin")
    ap.add_argument("out_dir")
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    ap.add_argument("--repetitions", type=int, default=REPETITIONS)
    ap.add_argument("--budget", type=float, default=BUDGET_MINUTES, help="minutes for all rounds, first and further")
    ap.add_argument("--profile", default="ci")
    argv = sys.argv[1:] if argv is None else list(argv)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []  # every run's own ipcbench arguments
    args = ap.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if args.rounds < judging.MIN_ROUNDS or args.repetitions < 1 or args.budget <= 0:
        print(
            f"ipcbench: AB_ROUNDS must be at least {judging.MIN_ROUNDS}, AB_REPETITIONS at least 1 and AB_BUDGET "
            "(minutes) above 0",
            file=sys.stderr,
        )
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    common = [f"--profile={args.profile}", *extra]
    sides = [interleave.Side("base", args.base_bin, common), interleave.Side("cand", args.cand_bin, common)]
    try:
        names = sorted(set(interleave.list_benchmarks(sides[0])) & set(interleave.list_benchmarks(sides[1])))
        schedule = interleave.Schedule(sides, args.repetitions, args.out_dir, args.budget * 60, progress)
        seq = sequential.Sequential(schedule, {"ab": ("base", "cand")}, progress=progress)
        rows, only_base, only_cand, note = seq.run(names, args.rounds)["ab"]
        base, cand = schedule.merged("base"), schedule.merged("cand")
    except (interleave.RunError, compare.InputError) as e:
        print(f"ipcbench: {e}", file=sys.stderr)
        return 2
    files.write_json(os.path.join(args.out_dir, "base.json"), base)
    files.write_json(os.path.join(args.out_dir, "candidate.json"), cand)
    text = summary.summary(
        rows, only_base, only_cand, summary.machine_warning(base, cand), judging.THRESHOLD, judging.ALPHA, note
    )
    print(text)
    with open(os.path.join(args.out_dir, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    progress(f"A/B results in {args.out_dir} ({schedule.rounds_run} rounds, {seq.looks} looks)")
    if "cand" in schedule.failed:
        progress(f"the candidate has failing benchmarks (see the logs in {args.out_dir})")
        return 1
    return summary.exit_status(rows, note)


if __name__ == "__main__":
    sys.exit(main())
