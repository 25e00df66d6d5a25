// Google Benchmark reporters with ipcbench's canonical names (no "/manual_time" or "/min_time:"
// suffixes: names stay the parameter paths docs/usage.md describes), progress on the console, and
// the run's JSON kept in memory for the one writer of the results file.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

namespace ipcbench {

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

// The console table, each result prefixed with "[done/total]" so a long run shows how far it is.
class ProgressConsoleReporter : public benchmark::ConsoleReporter {
 public:
  // Colour only on a terminal: escape codes in a CI log or a redirected file are noise.
  ProgressConsoleReporter(std::size_t total_runs, bool color)
      : ConsoleReporter(color ? OO_ColorTabular : OO_Tabular), total_(total_runs) {}
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;

 private:
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t prefix_width_ = 0;
};

// The reporter a run hands Google Benchmark: the progress table on the console, and the JSON
// collected in memory (Google Benchmark writes no file: ipcbench completes and writes it).
class RunReporter : public benchmark::BenchmarkReporter {
 public:
  RunReporter(std::size_t total_runs, bool color);
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

  std::string json() const { return json_text_.str(); }
  std::size_t failures() const { return json_.failures(); }
  std::size_t skips() const { return json_.skips(); }

 private:
  ProgressConsoleReporter console_;
  ResultsJsonReporter json_;
  std::ostringstream json_text_;
};

}  // namespace ipcbench
