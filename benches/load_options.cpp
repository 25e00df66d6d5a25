// The load families' command-line options: --rates replaces the offered rates of every plan that
// sweeps them, --latency-budget the p99 budgets the report ranks mechanisms under, and --hgrm-dir
// writes each point's distribution as an HdrHistogram .hgrm file.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "base/usage_error.hpp"
#include "bench/family_options.hpp"
#include "ipc/load_rate.hpp"

namespace ipcbench {
namespace {

void choose_rates(const std::string& list, RunSettings& run) {
  std::vector<std::string> rates;
  for (const auto& r : split_list(list)) {
    try {
      rates.push_back(parse_load_rate(r).name);
    } catch (const UsageError& e) {
      throw UsageError(std::string("--rates: ") + e.what());
    }
  }
  for (auto& [name, plan] : run.profile.plans) {
    auto* sweep = std::any_cast<SweepPlan>(&plan);
    if (sweep && !sweep->rates.empty()) sweep->rates = rates;  // the plans with offered rates
  }
}

// "10us", "1ms", "500ns", "0.5s": a p99 budget, more than 0 and at most an hour.
std::int64_t parse_budget(const std::string& text) {
  static const std::regex form(R"(([0-9]+(\.[0-9]+)?)(ns|us|ms|s))");
  std::smatch m;
  const std::string fix = "; give durations such as 10us, 100us, 1ms";
  if (!std::regex_match(text, m, form)) {
    throw UsageError("--latency-budget: '" + text + "' is not a duration" + fix);
  }
  const double scale = m[3] == "ns" ? 1 : m[3] == "us" ? 1e3 : m[3] == "ms" ? 1e6 : 1e9;
  const double ns = std::stod(m[1]) * scale;
  if (!(ns >= 1) || ns > 3600e9) {
    throw UsageError("--latency-budget: '" + text + "' is outside 1 ns .. 1 hour" + fix);
  }
  return static_cast<std::int64_t>(ns);
}

void choose_budgets(const std::string& list, RunSettings& run) {
  std::vector<std::int64_t> budgets;
  for (const auto& b : split_list(list)) budgets.push_back(parse_budget(b));
  std::sort(budgets.begin(), budgets.end());
  run.latency_budgets_ns = budgets;
}

// The directory is created if need be and must be writable now, not after minutes of running.
void choose_hgrm_dir(const std::string& dir, RunSettings& run) {
  if (dir.empty()) throw UsageError("--hgrm-dir needs a directory, e.g. --hgrm-dir=results/hgrm");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!std::filesystem::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0) {
    throw UsageError("--hgrm-dir='" + dir + "' is not a writable directory; choose another");
  }
  run.hgrm_dir = dir;
}

}  // namespace

IPCBENCH_REGISTER_OPTION({.flag = "--rates",
                          .value = "R,R",
                          .example = "10k,50%",
                          .help = {"load/* offered rates instead of the profile's: messages per",
                                   "second (10k, 1M; 1 to 100M) or shares of the mechanism's",
                                   "measured capacity (50%, 110%)"},
                          .apply = &choose_rates});
IPCBENCH_REGISTER_OPTION({.flag = "--latency-budget",
                          .value = "T,T",
                          .example = "10us,1ms",
                          .help = {"p99 budgets the report ranks load/* under (10us,100us,1ms)"},
                          .apply = &choose_budgets});
IPCBENCH_REGISTER_OPTION({.flag = "--hgrm-dir",
                          .value = "DIR",
                          .help = {"also write each load/* distribution as HdrHistogram .hgrm"},
                          .apply = &choose_hgrm_dir});

}  // namespace ipcbench
