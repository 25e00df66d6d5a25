// The course's own Python programs, measured by benches/python/runner.py (standard library only)
// with whatever python3 is on PATH, so every entry point gets them; --no-python turns them off.
// ipcbench hands the runner its plan and takes back Google Benchmark JSON entries (named py/...).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bench/profiles.hpp"

namespace ipcbench {

// What the runner measured: its entries (a crashed runner becomes one error entry), its context
// (interpreter, version), and how many entries failed.
struct PythonResults {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  nlohmann::ordered_json context;
  int failures = 0;
};

class PythonRunner {
 public:
  // The interpreter and the runner script, or nullopt when either is missing: then the run
  // simply has no py/ entries.
  static std::optional<PythonRunner> find();

  // The py/ names the runner would measure for a profile (none without a Python plan) and
  // --filter.
  std::vector<std::string> list(const Profile& profile, const std::string& filter) const;

  // Runs them, showing the runner's progress on stderr. `scratch` is a file the runner may
  // write its JSON to; it is removed afterwards.
  PythonResults run(const Profile& profile, const std::string& filter,
                    const std::string& scratch) const;

 private:
  PythonRunner(std::string python, std::string script)
      : python_(std::move(python)), script_(std::move(script)) {}
  std::vector<std::string> command(const Profile& profile, const std::string& filter) const;
  std::string python_;
  std::string script_;
};

// The plan the runner is given (--plan): the profile's Python part and the homework's scale.
nlohmann::ordered_json python_plan(const Profile& profile);

}  // namespace ipcbench
