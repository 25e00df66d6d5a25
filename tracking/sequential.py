"""Sequential A/B testing: judge after the first rounds, then run more rounds of just the undecided
benchmarks, in batches, until each is decided or the time budget is spent.

Look k tests at alpha / 2^k (judging.alpha_at_look), so however many looks the budget allows, a
benchmark's false-alarm rate stays below alpha. A verdict, once reached, is kept.
"""
import collections

from . import compare
from . import judging
from . import interleave

EXTRA_ROUNDS = 5  # rounds per further look
UNDECIDED = judging.UNDECIDED

# fields: see compare.compare.
Rule = collections.namedtuple("Rule", "threshold alpha agreement fields", defaults=(None,))
DEFAULT_RULE = Rule(judging.THRESHOLD, judging.ALPHA, judging.ROUND_AGREEMENT)


class Sequential:
    """`comparisons` = {key: (baseline label, candidate label)} judged on one schedule's runs; `schedule`
    is an interleave.Schedule (or a replay of one) that also says whether another batch fits."""

    def __init__(self, schedule, comparisons, rule=DEFAULT_RULE, progress=None):
        self.schedule, self.comparisons, self.rule = schedule, comparisons, rule
        self.progress = progress or (lambda text: None)
        self.results = {}
        self.decided = {key: {} for key in comparisons}  # key -> {name: row}, from the look that decided it
        self.looks = 0

    def run(self, names, rounds):
        """{key: (rows, only in baseline, only in candidate, note)} after the first `rounds` and any more."""
        for _ in range(rounds):
            self.schedule.round(interleave.blocks(names))
        self.look()
        while True:
            undecided = self.undecided()
            if not undecided:
                break
            block_list = interleave.blocks([n for n in names if n in undecided])
            if not self.schedule.fits(EXTRA_ROUNDS, block_list):
                self.progress(f"{len(undecided)} benchmarks still too noisy to tell; the time budget is spent")
                break
            self.progress(f"{len(undecided)} benchmarks too noisy to tell: {EXTRA_ROUNDS} more rounds of them")
            for _ in range(EXTRA_ROUNDS):
                self.schedule.round(block_list)
            self.look()
        return self.results

    def undecided(self):
        return sorted({r["name"] for rows, *_ in self.results.values() for r in rows if r["verdict"] == UNDECIDED})

    def look(self):
        self.looks += 1
        alpha = judging.alpha_at_look(self.rule.alpha, self.looks)
        for key, (base, cand) in self.comparisons.items():
            rows, only_base, only_cand, note = compare.compare(
                compare.usable(self.schedule.merged(base)),
                compare.usable(self.schedule.merged(cand)),
                self.rule.threshold,
                alpha,
                self.rule.agreement,
                fields=self.rule.fields,
            )
            decided = self.decided[key]
            for row in rows:
                if row["name"] not in decided and row["verdict"] != UNDECIDED:
                    row["decided_after"] = row["rounds_run"]
                    decided[row["name"]] = row
            rows = [decided.get(r["name"], r) for r in rows]
            self.results[key] = (rows, only_base, only_cand, note)
