#include "python_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fd.hpp"
#include "resources.hpp"
#include "system_error.hpp"

namespace ipcbench {
namespace {

namespace fs = std::filesystem;

// ipcbench profile -> the runner's; the ci profile tracks C++ only (Python's noise and minutes
// would swamp its verdicts).
std::optional<std::string> runner_profile(const std::string& profile) {
  if (profile == "quick" || profile == "default" || profile == "full" || profile == "homework")
    return profile;
  return std::nullopt;
}

std::string find_on_path(const char* program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// Runs argv, its stdout captured, its stderr passed through (the runner's progress). Returns the
// exit status (128 + signal when killed).
int run_process(const std::vector<std::string>& argv, std::string* out) {
  auto [rd, wr] = make_pipe("pipe2 (python runner)");
  std::fflush(nullptr);
  const pid_t pid = check_syscall(fork(), "fork (python runner)");
  if (pid == 0) {
    dup2(wr.get(), STDOUT_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  wr.reset();
  char buf[4096];
  for (ssize_t n; (n = ::read(rd.get(), buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (out) out->append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

nlohmann::json error_entry(const std::string& message) {
  return {{"name", "py/runner"}, {"run_name", "py/runner"}, {"run_type", "iteration"},
          {"repetitions", 1},    {"repetition_index", 0},   {"threads", 1},
          {"iterations", 0},     {"real_time", 0.0},        {"cpu_time", 0.0},
          {"time_unit", "ns"},   {"error_occurred", true},  {"error_message", message}};
}

}  // namespace

std::optional<PythonRunner> PythonRunner::find(std::string* why) {
  // In the source tree the binary was built from (the runner is not installed anywhere else).
  const fs::path runner = fs::path(IPCBENCH_SOURCE_DIR) / "benches" / "python" / "runner.py";
  const std::string script = fs::exists(runner) ? runner.string() : "";
  const std::string python = find_on_path("python3");
  if (script.empty() || python.empty()) {
    if (why) *why = script.empty() ? "benches/python/runner.py is missing" : "no python3 on PATH";
    return std::nullopt;
  }
  return PythonRunner(python, script);
}

std::vector<std::string> PythonRunner::list(const std::string& profile,
                                            const std::string& filter) const {
  const auto rp = runner_profile(profile);
  if (!rp) return {};
  std::string out;
  if (run_process({python_, script_, "--profile", *rp, "--filter", filter, "--list"}, &out) != 0)
    return {};
  std::vector<std::string> names;
  std::stringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

int PythonRunner::run_and_merge(const std::string& profile, const std::string& filter,
                                std::uint64_t loops, std::uint64_t lines,
                                const std::string& results_path) const {
  const auto rp = runner_profile(profile);
  if (!rp) return 0;
  const OwnedResource out(ResourceKind::file, results_path + ".py.json");
  std::vector<std::string> argv = {python_,    script_, "--profile", *rp,
                                   "--filter", filter,  "--out",     out.name()};
  if (loops) argv.insert(argv.end(), {"--homework-loops", std::to_string(loops)});
  if (lines) argv.insert(argv.end(), {"--homework-lines", std::to_string(lines)});
  const int status = run_process(argv, nullptr);

  std::ifstream in_results(results_path);
  nlohmann::json results = nlohmann::json::parse(in_results);
  std::ifstream in_py(out.name());
  nlohmann::json py = in_py ? nlohmann::json::parse(in_py, nullptr, false) : nlohmann::json();
  int failures = 0;
  if (py.is_discarded() || !py.is_object() || !py.contains("benchmarks")) {
    results["benchmarks"].push_back(error_entry("py/runner: the Python runner (" + python_ +
                                                ") exited with status " + std::to_string(status) +
                                                " and wrote no results"));
    ++failures;
  } else {
    for (auto& e : py["benchmarks"]) {
      failures += e.value("error_occurred", false) ? 1 : 0;
      results["benchmarks"].push_back(std::move(e));
    }
    results["context"]["python"] = py["context"];
  }
  std::ofstream rewrite(results_path, std::ios::trunc);
  rewrite << results.dump(2) << "\n";
  if (!rewrite) check_syscall(-1, ("write " + results_path).c_str());
  return failures;
}

}  // namespace ipcbench
