#include "app/python_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/system_error.hpp"
#include "os/fd.hpp"
#include "os/resources.hpp"

namespace ipcbench {
namespace {

namespace fs = std::filesystem;

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

nlohmann::ordered_json error_entry(const std::string& message) {
  return {{"name", "py/runner"}, {"run_name", "py/runner"}, {"run_type", "iteration"},
          {"repetitions", 1},    {"repetition_index", 0},   {"threads", 1},
          {"iterations", 0},     {"real_time", 0.0},        {"cpu_time", 0.0},
          {"time_unit", "ns"},   {"error_occurred", true},  {"error_message", message}};
}

}  // namespace

nlohmann::ordered_json python_plan(const Profile& profile) {
  const PythonPlan& p = *profile.python;
  const auto& homework = plan_of<HomeworkParams>(profile, "homework");  // the course's scale
  return {{"profile", profile.name},
          {"ipc_sizes", p.ipc_sizes},
          {"min_time", p.min_time_s},
          {"pool_tasks", p.pool_tasks},
          {"ipc", p.ipc},
          {"workers", p.workers},
          {"rounds", p.rounds},
          {"homework",
           {{"loops", homework.loops},
            {"lines", homework.lines},
            {"waits", homework.waits},
            {"tasks", homework.tasks}}}};
}

std::optional<PythonRunner> PythonRunner::find() {
  // In the source tree the binary was built from (the runner is not installed anywhere else).
  const fs::path runner = fs::path(IPCBENCH_SOURCE_DIR) / "benches" / "python" / "runner.py";
  const std::string python = find_on_path("python3");
  if (!fs::exists(runner) || python.empty()) return std::nullopt;
  return PythonRunner(python, runner.string());
}

std::vector<std::string> PythonRunner::command(const Profile& profile,
                                               const std::string& filter) const {
  return {python_, script_, "--plan", python_plan(profile).dump(), "--filter", filter};
}

std::vector<std::string> PythonRunner::list(const Profile& profile,
                                            const std::string& filter) const {
  if (!profile.python) return {};
  auto argv = command(profile, filter);
  argv.push_back("--list");
  std::string out;
  if (run_process(argv, &out) != 0) return {};
  std::vector<std::string> names;
  std::stringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

PythonResults PythonRunner::run(const Profile& profile, const std::string& filter,
                                const std::string& scratch) const {
  PythonResults results;
  if (!profile.python) return results;
  const OwnedResource out(ResourceKind::file, scratch);
  auto argv = command(profile, filter);
  argv.insert(argv.end(), {"--out", out.name()});
  const int status = run_process(argv, nullptr);

  std::ifstream in(out.name());
  nlohmann::ordered_json py =
      in ? nlohmann::ordered_json::parse(in, nullptr, false) : nlohmann::ordered_json();
  if (py.is_discarded() || !py.is_object() || !py.contains("benchmarks")) {
    results.entries.push_back(error_entry("py/runner: the Python runner (" + python_ +
                                          ") exited with status " + std::to_string(status) +
                                          " and wrote no results"));
    results.failures = 1;
    return results;
  }
  for (auto& e : py["benchmarks"]) {
    results.failures += e.value("error_occurred", false) ? 1 : 0;
    results.entries.push_back(std::move(e));
  }
  results.context = py["context"];
  return results;
}

}  // namespace ipcbench
