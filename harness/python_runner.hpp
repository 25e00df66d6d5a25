// The course's own Python programs, measured by benches/python/runner.py (standard library only)
// with whatever python3 is on PATH, so every entry point gets them; --no-python turns them off.
// Their entries (named py/...) are merged into the run's Google Benchmark JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ipcbench {

class PythonRunner {
 public:
  // The interpreter and the runner script, or nullopt (with the reason in *why) when either is
  // missing: then the run simply has no py/ entries.
  static std::optional<PythonRunner> find(std::string* why);

  // The py/ names the runner would measure for an ipcbench profile (none for profiles without
  // Python families) and --filter.
  std::vector<std::string> list(const std::string& profile, const std::string& filter) const;

  // Runs them, showing the runner's progress on stderr, and appends its entries to the JSON file at
  // results_path (a failed or crashed runner becomes one error entry). Returns how many entries
  // failed.
  int run_and_merge(const std::string& profile, const std::string& filter, std::uint64_t loops,
                    std::uint64_t lines, const std::string& results_path) const;

 private:
  PythonRunner(std::string python, std::string script)
      : python_(std::move(python)), script_(std::move(script)) {}
  std::string python_;
  std::string script_;
};

}  // namespace ipcbench
