// build/ipcbench: registers the chosen profile's benchmarks, runs them under Google Benchmark,
// and publishes one atomic JSON result file.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "cli.hpp"
#include "context.hpp"
#include "families.hpp"
#include "ipc_session.hpp"
#include "python_runner.hpp"
#include "reporters.hpp"
#include "resources.hpp"
#include "result_file.hpp"
#include "usage_error.hpp"

namespace ipcbench {
namespace {

// Google Benchmark parses its own flags; anything it leaves behind was not understood.
void initialize_google_benchmark(const Profile& profile, const Options& opt,
                                 const std::string& out_path, const char* argv0) {
  // Static: Google Benchmark keeps pointers into argv (the executable name) for the whole run.
  static std::vector<std::string> args;
  args = {argv0, "--benchmark_out=" + out_path, "--benchmark_out_format=json",
          "--benchmark_min_time=" + std::to_string(profile.min_time_s),
          "--benchmark_repetitions=" + std::to_string(profile.repetitions)};
  if (profile.random_interleaving) args.push_back("--benchmark_enable_random_interleaving=true");
  args.insert(args.end(), opt.benchmark_flags.begin(), opt.benchmark_flags.end());
  static std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  if (argc > 1) {
    throw UsageError(std::string("Google Benchmark did not accept '") + argv[1] +
                     "' (1.7.1 flags: --benchmark_min_time takes plain seconds, e.g. 0.5)");
  }
}

// A run that selected only py/ benchmarks: Google Benchmark writes nothing, so start the file.
void write_empty_results(const std::string& path, const std::string& profile) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + path);
  std::fprintf(f, "{\"context\": {\"ipcbench_profile\": \"%s\"}, \"benchmarks\": []}\n",
               profile.c_str());
  std::fclose(f);
}

int run(int argc, char** argv) {
  const Options opt = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (opt.help) {
    std::cout << usage_text();
    return 0;
  }
  Profile profile = *find_profile(opt.profile);
  if (opt.homework_loops) profile.homework.loops = opt.homework_loops;
  if (opt.homework_lines) profile.homework.lines = opt.homework_lines;
  const bool python_chosen = apply_run_choices(opt.choices, profile);
  set_peer_timeout(opt.peer_timeout);

  BenchmarkSet set(opt.filter, profile.selection);
  register_benchmarks(profile, set);
  const auto& selected = set.names();
  std::optional<PythonRunner> python;
  std::vector<std::string> py_names;
  if (!opt.no_python && python_chosen) {
    std::string why;
    python = PythonRunner::find(&why);
    if (python) py_names = python->list(profile.name, opt.filter);
  }
  if (opt.list) {
    for (const auto& n : selected) std::cout << n << "\n";
    for (const auto& n : py_names) std::cout << n << "\n";
    return 0;
  }
  if (selected.empty() && py_names.empty()) {
    throw UsageError("--filter='" + opt.filter + "' selects no benchmark of profile '" +
                     profile.name + "'; see ipcbench --list --profile=" + profile.name);
  }

  install_cleanup_handlers();
  if (const auto swept = sweep_stale_resources(); swept.removed + swept.failed > 0) {
    std::fprintf(
        stderr,
        "ipcbench: removed %zu stale IPC objects left by killed runs (%zu could not be removed)\n",
        swept.removed, swept.failed);
  }
  const bool default_out = opt.out.empty();
  ResultFile file(default_out ? "results/" + make_run_id() + ".json" : opt.out);
  initialize_google_benchmark(profile, opt, file.partial_path(), argv[0]);
  add_context(profile.name);

  std::size_t repetitions = static_cast<std::size_t>(profile.repetitions);
  for (const auto& f : opt.benchmark_flags) {
    if (f.rfind("--benchmark_repetitions=", 0) == 0) repetitions = std::stoul(f.substr(24));
  }
  std::fprintf(stderr,
               "ipcbench: profile '%s': %zu benchmarks (and %zu in Python); results go to %s\n",
               profile.name.c_str(), selected.size(), py_names.size(), file.final_path().c_str());
  ProgressConsoleReporter console(selected.size() * repetitions, isatty(STDOUT_FILENO) != 0);
  ResultsJsonReporter json;
  if (!selected.empty()) {
    benchmark::RunSpecifiedBenchmarks(&console, &json);
  } else {
    write_empty_results(file.partial_path(), profile.name);
  }
  benchmark::Shutdown();
  int py_failures = 0;
  if (python && !py_names.empty()) {
    py_failures = python->run_and_merge(profile.name, opt.filter, opt.homework_loops,
                                        opt.homework_lines, file.partial_path());
  }

  file.publish();
  if (default_out) update_latest_link(file.final_path());
  std::fprintf(stderr, "ipcbench: results: %s\n", file.final_path().c_str());
  if (json.skips() > 0) {
    std::fprintf(stderr,
                 "ipcbench: %zu benchmark runs skipped: this machine cannot run them (the reason "
                 "and the fix are in each one's error_message)\n",
                 json.skips());
  }
  if (json.failures() > 0 || py_failures > 0) {
    std::fprintf(stderr, "ipcbench: %zu benchmark runs FAILED (error_occurred in the JSON)\n",
                 json.failures() + static_cast<std::size_t>(py_failures));
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace ipcbench

int main(int argc, char** argv) {
  // A peer that dies mid-write must surface as EPIPE in the benchmark, not kill the run.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return ipcbench::run(argc, argv);
  } catch (const ipcbench::UsageError& e) {
    std::fprintf(stderr, "ipcbench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ipcbench: error: %s\n", e.what());
    return 1;
  }
}
