#include "app/counting_pass.hpp"

#include <cstdio>
#include <map>
#include <string>
#include <unordered_set>

#include "app/figure_intervals.hpp"
#include "app/reporters.hpp"
#include "measure/counters.hpp"
#include "os/kernel_events.hpp"

namespace ipcbench {
namespace {

using Json = nlohmann::ordered_json;

// The counters the pass adds, each with its _main and _peer shares.
std::vector<std::string> counted_figures() {
  std::vector<std::string> out;
  for (const char* c : {counters::kSyscallsPerMsg, counters::kMigrationsPerMsg}) {
    out.insert(out.end(), {c, counters::main_of(c), counters::peer_of(c)});
  }
  return out;
}

Json run_pass(const BenchmarkSet& counting,
              const std::map<std::string, benchmark::IterationCount>& iterations, bool color,
              std::size_t& failures) {
  std::unordered_set<std::string> names;
  for (const auto& [name, n] : iterations) names.insert(name);
  counting.register_only(names, iterations);
  RunReporter reporter(Progress{names.size(), color, kCountingPass, false});
  benchmark::RunSpecifiedBenchmarks(&reporter);
  failures += reporter.failures();
  return Json::parse(reporter.json());
}

}  // namespace

Json kernel_events_note(bool counted_inline) {
  if (const auto& why = kernel_events_unavailable(); !why.empty()) return {{"absent", why}};
  if (counted_inline) return {{"counted", "in the timed rounds (--kernel-events=inline)"}};
  return {{"absent", "not asked for (--kernel-events=off)"}};
}

std::size_t count_kernel_events(const BenchmarkSet& counting, Json& results, bool color) {
  auto& note = results["context"]["kernel_events"];
  if (const auto& why = kernel_events_unavailable(); !why.empty()) {
    note = {{"absent", why}};
    return 0;
  }
  const std::unordered_set<std::string> countable(counting.names().begin(), counting.names().end());
  std::map<std::string, benchmark::IterationCount> iterations;  // each one's first round's
  for (const auto& e : results["benchmarks"]) {
    const std::string name = run_name_of(e);
    if (is_good_iteration(e) && e.contains(counters::kCpuPerMsg) && countable.contains(name) &&
        !iterations.contains(name)) {
      iterations[name] = e.value("iterations", benchmark::IterationCount{1});
    }
  }
  if (iterations.empty()) return 0;
  std::fprintf(stderr,
               "ipcbench: counting system calls and CPU migrations: %zu benchmarks once more, in a "
               "pass of their own (counting slows what it counts)\n",
               iterations.size());
  std::size_t failures = 0;
  const Json pass = run_pass(counting, iterations, color, failures);
  std::map<std::string, const Json*> counted;
  for (const auto& e : pass["benchmarks"]) {
    if (is_good_iteration(e) && e.contains(counters::kSyscallsPerMsg)) counted[run_name_of(e)] = &e;
  }
  for (auto& e : results["benchmarks"]) {
    const auto it = counted.find(run_name_of(e));
    if (it == counted.end() || !is_good_iteration(e)) continue;
    for (const auto& figure : counted_figures()) e[figure] = (*it->second)[figure];
  }
  note = {{"counted", "in a pass of its own after the timed rounds, once per benchmark"},
          {"benchmarks", counted.size()}};
  return failures;
}

}  // namespace ipcbench
