// Google Benchmark reporters with ipcbench's canonical names (no "/manual_time" or "/min_time:"
// suffixes: names stay the parameter paths docs/usage.md describes), progress on the console, and
// the run's JSON kept in memory for the one writer of the results file.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace ipcbench {

// Google Benchmark writes a counter that is not a number as NaN or Infinity, which JSON has no
// word for: such a value becomes null, and the text stays readable by every JSON parser.
std::string without_non_numbers(const std::string& text);

std::vector<benchmark::BenchmarkReporter::Run> canonical_runs(
    const std::vector<benchmark::BenchmarkReporter::Run>& runs);

class ResultsJsonReporter : public benchmark::JSONReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  std::size_t failures() const { return failures_; }
  // Runs skipped because this machine cannot run them (see skip.hpp): reported, not failed.
  std::size_t skips() const { return skips_; }

 private:
  std::size_t failures_ = 0;
  std::size_t skips_ = 0;
};

// How a run's progress is shown: the runs it will report, colour or not, and for a round of
// repetitions (app/rounds) its number; the machine's description only once, with the first.
inline constexpr int kCountingPass = -1;

struct Progress {
  std::size_t total_runs = 0;
  bool color = false;  // only on a terminal: escape codes in a CI log or a file are noise
  int round = 0;       // 0: not in rounds; kCountingPass: the pass that counts (app/counting_pass)
  bool show_context = true;
};

// The console table, each result prefixed with "[done/total]" (in a round "[r2 done/total]") so
// a long run shows how far it is.
class ProgressConsoleReporter : public benchmark::ConsoleReporter {
 public:
  // In rounds the benchmarks come in random order, so their counters change from one line to the
  // next: each line names its counters rather than repeating a table header.
  explicit ProgressConsoleReporter(const Progress& progress)
      : ConsoleReporter(progress.round ? (progress.color ? OO_Color : OO_None)
                                       : (progress.color ? OO_ColorTabular : OO_Tabular)),
        progress_(progress) {}
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;

 private:
  static void drop_details(benchmark::UserCounters& counters);
  std::string prefix(std::size_t done) const;

  Progress progress_;
  std::size_t done_ = 0;
  std::size_t prefix_width_ = 0;
};

// The reporter a run hands Google Benchmark: the progress table on the console, and the JSON
// collected in memory (Google Benchmark writes no file: ipcbench completes and writes it).
class RunReporter : public benchmark::BenchmarkReporter {
 public:
  explicit RunReporter(const Progress& progress);
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

  // The run as Google Benchmark JSON (without_non_numbers).
  std::string json() const { return without_non_numbers(json_text_.str()); }
  std::size_t failures() const { return json_.failures(); }
  std::size_t skips() const { return json_.skips(); }
  // Each benchmark's wall time, its setup and its peer's start included (what a repetition costs).
  const std::map<std::string, double>& seconds_by_name() const { return seconds_; }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::map<std::string, double> seconds_;
  ProgressConsoleReporter console_;
  ResultsJsonReporter json_;
  std::ostringstream json_text_;
};

}  // namespace ipcbench
