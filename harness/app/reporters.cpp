#include "app/reporters.hpp"

#include <ostream>
#include <regex>
#include <sstream>
#include <string>

#include "bench/skip.hpp"

namespace ipcbench {

std::string without_non_numbers(const std::string& text) {
  static const std::regex non_number(R"((:\s*)-?(NaN|Infinity)\b)");
  return std::regex_replace(text, non_number, "$1null");
}

std::vector<benchmark::BenchmarkReporter::Run> canonical_runs(
    const std::vector<benchmark::BenchmarkReporter::Run>& runs) {
  auto out = runs;
  for (auto& r : out) {
    r.run_name.time_type.clear();
    r.run_name.min_time.clear();
    r.run_name.min_warmup_time.clear();
    r.run_name.iterations.clear();
  }
  return out;
}

void ResultsJsonReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const auto& r : runs) {
    if (!r.error_occurred) continue;
    ++(is_skip_message(r.error_message) ? skips_ : failures_);
  }
  JSONReporter::ReportRuns(canonical_runs(runs));
}

// The console shows each figure once: its interval and its share per end are in the JSON, and
// with them a line would run to some forty counters.
void ProgressConsoleReporter::drop_details(benchmark::UserCounters& counters) {
  for (auto it = counters.begin(); it != counters.end();) {
    const std::string& k = it->first;
    const bool detail =
        k.ends_with("_lo") || k.ends_with("_hi") || k.ends_with("_main") || k.ends_with("_peer");
    it = detail ? counters.erase(it) : std::next(it);
  }
}

std::string ProgressConsoleReporter::prefix(std::size_t done) const {
  const std::string round = progress_.round == kCountingPass ? "count "
                            : progress_.round ? "r" + std::to_string(progress_.round) + " "
                                              : "";
  return "[" + round + std::to_string(done) + "/" + std::to_string(progress_.total_runs) + "] ";
}

bool ProgressConsoleReporter::ReportContext(const Context& context) {
  prefix_width_ = prefix(progress_.total_runs).size() + 1;
  Context wider = context;
  wider.name_field_width += prefix_width_;
  if (progress_.show_context) return ConsoleReporter::ReportContext(wider);
  std::ostringstream unshown;  // the machine was described with the first round
  std::ostream& shown = GetErrorStream();
  SetErrorStream(&unshown);
  const bool ok = ConsoleReporter::ReportContext(wider);
  SetErrorStream(&shown);
  return ok;
}

void ProgressConsoleReporter::ReportRuns(const std::vector<Run>& runs) {
  auto named = canonical_runs(runs);
  for (auto& r : named) {
    std::string shown = r.run_type == Run::RT_Iteration ? prefix(++done_) : "";
    shown.resize(prefix_width_, ' ');
    r.run_name.function_name = shown + r.run_name.function_name;
    drop_details(r.counters);
  }
  ConsoleReporter::ReportRuns(named);
  GetOutputStream().flush();
}

RunReporter::RunReporter(const Progress& progress) : console_(progress) {
  json_.SetOutputStream(&json_text_);
  json_.SetErrorStream(&json_text_);
}

bool RunReporter::ReportContext(const Context& context) {
  const bool console_ok = console_.ReportContext(context);
  last_ = std::chrono::steady_clock::now();
  return json_.ReportContext(context) && console_ok;
}

void RunReporter::ReportRuns(const std::vector<Run>& runs) {
  const auto now = std::chrono::steady_clock::now();
  if (!runs.empty()) {
    seconds_[canonical_runs({runs.front()}).front().benchmark_name()] +=
        std::chrono::duration<double>(now - last_).count();
  }
  last_ = now;
  console_.ReportRuns(runs);
  json_.ReportRuns(runs);
}

void RunReporter::Finalize() {
  console_.Finalize();
  json_.Finalize();
}

}  // namespace ipcbench
