#include "app/run.hpp"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/context.hpp"
#include "app/counting_pass.hpp"
#include "app/figure_intervals.hpp"
#include "app/python_runner.hpp"
#include "app/reporters.hpp"
#include "app/result_file.hpp"
#include "app/rounds.hpp"
#include "app/run_settings.hpp"
#include "base/usage_error.hpp"
#include "bench/families.hpp"
#include "os/resources.hpp"
#include "remote/token.hpp"

namespace ipcbench {
namespace {

// Google Benchmark parses its own flags; anything it leaves behind was not understood. It is
// given no --benchmark_out: the results file is ipcbench's to write.
void initialize_google_benchmark(const Profile& profile, const Options& opt, const char* argv0) {
  // Static: Google Benchmark keeps pointers into argv (the executable name) for the whole run.
  static std::vector<std::string> args;
  // In rounds (app/rounds), each round runs every benchmark once, in a fresh random order.
  const bool rounds = profile.rounds.min > 0;
  args = {argv0, "--benchmark_min_time=" + std::to_string(profile.min_time_s),
          "--benchmark_repetitions=" + std::to_string(rounds ? 1 : profile.repetitions)};
  if (rounds || profile.random_interleaving) {
    args.push_back("--benchmark_enable_random_interleaving=true");
  }
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

void report_swept_objects() {
  if (const auto swept = sweep_stale_resources(); swept.removed + swept.failed > 0) {
    std::fprintf(
        stderr,
        "ipcbench: removed %zu stale IPC objects left by killed runs (%zu could not be removed)\n",
        swept.removed, swept.failed);
  }
}

// The C++ benchmarks' results as Google Benchmark reported them, in rounds when the profile has
// them, or an empty run when only py/ benchmarks were selected.
RoundsOutcome run_cpp(const BenchmarkSet& set, const RunSettings& settings) {
  const Profile& profile = settings.profile;
  const bool color = isatty(STDOUT_FILENO) != 0;
  if (set.names().empty()) {
    return {{{"context", nlohmann::ordered_json::object()},
             {"benchmarks", nlohmann::ordered_json::array()}}};
  }
  if (profile.rounds.min > 0) {
    // Each round measures the ring's copy plan afresh, so its choice is repeated as the
    // benchmarks are (settings are otherwise passed down unchanged).
    RingCopyPlan plan = settings.ring_copy;
    return run_in_rounds(set, profile.rounds, color, [plan]() mutable { plan.forget(); });
  }
  set.register_all();
  const auto repetitions = static_cast<std::size_t>(profile.repetitions);
  RunReporter reporter(Progress{set.names().size() * repetitions, color});
  benchmark::RunSpecifiedBenchmarks(&reporter);
  return {nlohmann::ordered_json::parse(reporter.json()), reporter.failures(), reporter.skips()};
}

// --remote: the control connection, greeted; a server that is unreachable, busy or refuses us
// ends the run here with one line (UsageError, exit 2).
std::shared_ptr<RemoteControl> connect_remote(const Options& opt) {
  try {
    const HostPort server = parse_host_port(opt.remote, "--remote");
    const std::string token = opt.token_file.empty() ? "" : read_token_file(opt.token_file);
    const int version = opt.remote_protocol ? opt.remote_protocol : kProtocolVersion;
    return std::make_shared<RemoteControl>(server, token, opt.peer_timeout + kRemoteGrace, version);
  } catch (const ProtocolError& e) {
    throw UsageError(e.what());
  }
}

}  // namespace

int run(const Options& opt, const char* argv0) {
  RunPlan plan = plan_run(opt);
  if (!opt.remote.empty()) plan.settings.remote = connect_remote(opt);
  const RunSettings& settings = plan.settings;
  const Profile& profile = settings.profile;

  BenchmarkSet set(opt.filter, profile.selection);
  register_benchmarks(settings, set);
  const auto& selected = set.names();
  std::optional<PythonRunner> python;
  std::vector<std::string> py_names;
  if (plan.python && (python = PythonRunner::find())) py_names = python->list(profile, opt.filter);
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
  report_swept_objects();
  const bool default_out = opt.out.empty();
  ResultFile file(default_out ? "results/" + make_run_id() + ".json" : opt.out);
  initialize_google_benchmark(profile, opt, argv0);
  std::fprintf(stderr,
               "ipcbench: profile '%s': %zu benchmarks (and %zu in Python); results go to %s\n",
               profile.name.c_str(), selected.size(), py_names.size(), file.final_path().c_str());
  RoundsOutcome cpp = run_cpp(set, settings);
  nlohmann::ordered_json& results = cpp.results;
  if (plan.counting_pass) {
    RunSettings counting_settings = settings;
    counting_settings.count_kernel_events = true;
    counting_settings.remote.reset();  // a remote peer's system calls are not ours to count
    BenchmarkSet counting(opt.filter, profile.selection);
    register_benchmarks(counting_settings, counting);
    cpp.failures += count_kernel_events(counting, results, isatty(STDOUT_FILENO) != 0);
  } else {
    results["context"]["kernel_events"] = kernel_events_note(settings.count_kernel_events);
  }
  benchmark::Shutdown();

  for (const auto& [key, value] : collect_context(settings)) results["context"][key] = value;
  results["context"]["mechanisms"] = mechanism_facts();
  results["context"]["latency_budgets_ns"] = settings.latency_budgets_ns;
  if (settings.remote) {
    results["context"]["remote"] = {{"address", settings.remote->server().text()},
                                    {"context", settings.remote->server_context()}};
  }
  if (const auto ring_copy = settings.ring_copy.measured()) {
    results["context"]["shm_ring_copy"] = ring_copy_json(*ring_copy);
  }
  if (const auto all = settings.ring_copy.history(); all.size() > 1) {
    auto& rounds = results["context"]["shm_ring_copy_rounds"] = nlohmann::ordered_json::array();
    for (const auto& choice : all) rounds.push_back(ring_copy_json(choice));
  }
  int py_failures = 0;
  if (python && !py_names.empty()) {
    PythonResults py = python->run(profile, opt.filter, file.scratch_path(".py.json"));
    for (auto& e : py.entries) results["benchmarks"].push_back(std::move(e));
    if (!py.context.is_null()) results["context"]["python"] = std::move(py.context);
    py_failures = py.failures;
  }
  annotate_results(results["benchmarks"]);
  file.publish(results.dump(2) + "\n");
  if (default_out) update_latest_link(file.final_path());

  std::fprintf(stderr, "ipcbench: results: %s\n", file.final_path().c_str());
  if (cpp.skips > 0) {
    std::fprintf(stderr,
                 "ipcbench: %zu benchmark runs skipped: this machine cannot run them (the reason "
                 "and the fix are in each one's error_message)\n",
                 cpp.skips);
  }
  const std::size_t failures = cpp.failures + static_cast<std::size_t>(py_failures);
  if (failures == 0) return 0;
  std::fprintf(stderr, "ipcbench: %zu benchmark runs FAILED (error_occurred in the JSON)\n",
               failures);
  return 1;
}

}  // namespace ipcbench
