#include "app/reporters.hpp"

#include <ostream>
#include <string>

#include "bench/skip.hpp"

namespace ipcbench {

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

bool ProgressConsoleReporter::ReportContext(const Context& context) {
  prefix_width_ = 2 * std::to_string(total_).size() + 4;
  Context wider = context;
  wider.name_field_width += prefix_width_;
  return ConsoleReporter::ReportContext(wider);
}

void ProgressConsoleReporter::ReportRuns(const std::vector<Run>& runs) {
  auto named = canonical_runs(runs);
  for (auto& r : named) {
    std::string prefix;
    if (r.run_type == Run::RT_Iteration) {
      prefix = "[" + std::to_string(++done_) + "/" + std::to_string(total_) + "] ";
    }
    prefix.resize(prefix_width_, ' ');
    r.run_name.function_name = prefix + r.run_name.function_name;
  }
  ConsoleReporter::ReportRuns(named);
  GetOutputStream().flush();
}

RunReporter::RunReporter(std::size_t total_runs, bool color) : console_(total_runs, color) {
  json_.SetOutputStream(&json_text_);
  json_.SetErrorStream(&json_text_);
}

bool RunReporter::ReportContext(const Context& context) {
  const bool console_ok = console_.ReportContext(context);
  return json_.ReportContext(context) && console_ok;
}

void RunReporter::ReportRuns(const std::vector<Run>& runs) {
  console_.ReportRuns(runs);
  json_.ReportRuns(runs);
}

void RunReporter::Finalize() {
  console_.Finalize();
  json_.Finalize();
}

}  // namespace ipcbench
