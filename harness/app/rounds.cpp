#include "app/rounds.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "app/figure_intervals.hpp"
#include "app/reporters.hpp"
#include "measure/counters.hpp"

namespace ipcbench {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// What the run knows of one benchmark between rounds.
struct Standing {
  std::vector<const Json*> reps;             // its good entries so far
  double seconds = 0;                        // what its last repetition cost
  benchmark::IterationCount iterations = 0;  // its first round's: the later ones run as many
  bool finished = false;                     // failed, skipped, narrow enough or at the maximum
  double width = 0;                          // its main figure's relative half-width
};

Json run_round(const BenchmarkSet& set, const std::unordered_set<std::string>& names, int round,
               bool color, RoundsOutcome& outcome, std::map<std::string, Standing>& standing) {
  std::map<std::string, benchmark::IterationCount> iterations;
  for (const auto& name : names) {
    if (const auto n = standing[name].iterations; n > 0) iterations[name] = n;
  }
  set.register_only(names, iterations);
  RunReporter reporter(Progress{names.size(), color, round, round == 1});
  benchmark::RunSpecifiedBenchmarks(&reporter);
  outcome.failures += reporter.failures();
  outcome.skips += reporter.skips();
  for (const auto& [name, seconds] : reporter.seconds_by_name()) standing[name].seconds = seconds;
  return Json::parse(reporter.json());  // already without NaN and Infinity
}

// After a round: which benchmarks are done, and how wide the rest are.
void judge(std::map<std::string, Standing>& standing, const RoundsPlan& plan, int round) {
  for (auto& [name, s] : standing) {
    if (s.finished) continue;
    if (s.reps.empty() || static_cast<int>(s.reps.size()) < round) {  // failed or skipped
      s.finished = true;
      continue;
    }
    const auto intervals = intervals_of(s.reps);
    const auto it = intervals.find(main_figure(*s.reps.front()));
    s.width = it == intervals.end() ? 0 : it->second.relative_half_width();
    const int reps = static_cast<int>(s.reps.size());
    s.finished = reps >= plan.max || (reps >= plan.min && s.width <= plan.narrow_enough);
  }
}

// The next round: every unfinished benchmark while below the minimum; after it, the widest first
// as long as their last repetitions' cost fits what is left of the budget.
std::unordered_set<std::string> next_round(const std::map<std::string, Standing>& standing,
                                           const RoundsPlan& plan, int round, double spent) {
  std::vector<std::pair<double, std::string>> wanted;
  for (const auto& [name, s] : standing) {
    if (!s.finished) wanted.emplace_back(s.width, name);
  }
  std::unordered_set<std::string> out;
  if (round < plan.min) {
    for (const auto& w : wanted) out.insert(w.second);
    return out;
  }
  std::sort(wanted.rbegin(), wanted.rend());
  double left = plan.budget_s - spent;
  for (const auto& [width, name] : wanted) {
    const double cost = standing.at(name).seconds;
    if (cost > left) continue;
    left -= cost;
    out.insert(name);
  }
  return out;
}

// repetition_index and repetitions over the rounds, as Google Benchmark writes them for its own.
void number_repetitions(Json& benchmarks) {
  std::map<std::string, int> counts;
  for (const auto& e : benchmarks) ++counts[run_name_of(e)];
  std::map<std::string, int> seen;
  for (auto& e : benchmarks) {
    const std::string name = run_name_of(e);
    e["repetitions"] = counts[name];
    e["repetition_index"] = seen[name]++;
  }
}

}  // namespace

std::string main_figure(const Json& entry) {
  for (const char* figure :
       {counters::kP50, "bytes_per_second", "items_per_second", counters::kNsPerOp}) {
    if (entry.contains(figure)) return figure;
  }
  for (const auto& figure : figures_with_interval(entry)) {  // a search: its first capacity
    if (figure.starts_with(counters::kSearchedCapacityPrefix)) return figure;
  }
  return "real_time";
}

RoundsOutcome run_in_rounds(const BenchmarkSet& set, const RoundsPlan& plan, bool color,
                            const std::function<void()>& before_round) {
  RoundsOutcome outcome;
  std::map<std::string, Standing> standing;
  for (const auto& name : set.names()) standing[name];
  std::unordered_set<std::string> names(set.names().begin(), set.names().end());
  std::vector<Json> rounds;  // kept whole: standing points into them
  rounds.reserve(static_cast<std::size_t>(plan.max));
  const auto start = Clock::now();
  for (int round = 1; round <= plan.max && !names.empty(); ++round) {
    if (round > 1) {
      std::fprintf(stderr, "ipcbench: round %d of up to %d: %zu benchmarks%s\n", round, plan.max,
                   names.size(), round > plan.min ? " whose intervals are still wide" : "");
    }
    before_round();
    rounds.push_back(run_round(set, names, round, color, outcome, standing));
    for (auto& e : rounds.back()["benchmarks"]) {
      e["ipcbench_round"] = round;
      if (is_good_iteration(e)) {
        Standing& s = standing[run_name_of(e)];
        s.reps.push_back(&e);
        if (s.iterations == 0) s.iterations = e.value("iterations", benchmark::IterationCount{0});
      }
    }
    judge(standing, plan, round);
    names = next_round(standing, plan, round,
                       std::chrono::duration<double>(Clock::now() - start).count());
  }
  outcome.results = {{"context", rounds.front()["context"]}, {"benchmarks", Json::array()}};
  for (auto& r : rounds) {
    for (auto& e : r["benchmarks"]) outcome.results["benchmarks"].push_back(std::move(e));
  }
  number_repetitions(outcome.results["benchmarks"]);
  return outcome;
}

}  // namespace ipcbench
