// Named run profiles: which families run, how long and how often each benchmark runs, and the
// plans (sizes, peers, pins, rates) each family declares for the profile in its own file.
#pragma once

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/unique_name.hpp"
#include "os/affinity.hpp"
#include "os/peer_kind.hpp"

namespace ipcbench {

// The course's homework (docs/course.md): a counting loop and a write-then-read file task, each
// run `tasks` times sequentially, in threads and in processes. Defaults: the classic exercise.
struct HomeworkParams {
  std::uint64_t loops = 7'000'000;  // iterations of the counting loop per task
  std::uint64_t lines = 1'700'000;  // "hello world" lines written and read back per task
  std::uint64_t waits = 50;         // 2 ms waits per waiting task (IO that waits: a reply, a timer)
  int tasks = 10;
};

// What the Python runner (benches/python/runner.py) measures in a profile; ipcbench hands it
// over with the homework's scale, so the runner keeps no table of its own.
struct PythonPlan {
  std::vector<std::size_t> ipc_sizes;  // the course's mechanisms, py/ipc/...
  double min_time_s = 0.1;             // per IPC benchmark
  int pool_tasks = 0;                  // py/pool/...: tasks per pool run
  bool ipc = true;                     // py/ipc/...
  bool workers = true;                 // py/spawn/... and py/pool/...
  int rounds = 1;  // each benchmark once per round, as the C++ rounds (app/rounds): an interval
};

// One sweep a family runs: mechanisms x peer kinds x pinnings x counts x sizes x offered rates.
// Every sweeping family's plan has this one shape and uses the fields it sweeps: the ipc family
// peers, pins and sizes; fan-in and fan-out counts too; the load families rates and a schedule's
// length as well.
struct SweepPlan {
  std::vector<std::string> mechanisms;  // empty: every mechanism
  std::vector<PeerKind> peers;
  std::vector<PinPolicy> pins;
  std::vector<int> counts;  // producers or consumers; empty: the family has no count
  std::vector<std::size_t> sizes;
  std::vector<std::string> rates;  // "10k", "1M", "50%" (a share of the calibrated capacity)
  double seconds = 0.5;            // each load point's schedule, at least
  double max_seconds = 0;          // and on, up to this, until its percentiles have their samples
  // load: also search each point's capacity within the run's p99 budgets (load/.../search:p99).
  bool search_capacity = false;
};

// The plans of a profile by name, each of the type its family declares: sweeps (SweepPlan) named
// "ipc" (latency and throughput), "ipc/fan_in", "ipc/fan_out", "ipc/zero_copy" (throughput at the
// zero-copy sizes), "load" and "load_rtt", which --sizes, --rates and --remote change alike
// whatever family they belong to; "homework" (HomeworkParams); "spawn" (SpawnPlan).
using FamilyPlans = std::map<std::string, std::any, std::less<>>;

// spawn/*/heap:...: how much touched heap the parent holds (fork copies its page tables).
struct SpawnPlan {
  std::size_t heap_bytes = std::size_t{1} << 30;
};

// Repetitions spread over the whole run (app/rounds): round after round, each benchmark still
// wanted runs once, in a fresh random order, so its repetitions see the machine's modes.
struct RoundsPlan {
  int min = 0;  // rounds every benchmark runs; 0: none (Google Benchmark's repetitions instead)
  int max = 0;  // rounds a benchmark whose interval stays wide runs at most
  // After `min`: more rounds only while the C++ run has spent less than this (seconds).
  double budget_s = 0;
  // A benchmark stops repeating once its main figure's interval is this narrow (half-width over
  // the median).
  double narrow_enough = 0.05;
};

struct Profile {
  std::string name;
  std::string description;
  FamilyPlans plans;
  // Of the ipc family, only these mechanisms (--mechanisms); empty: all of them.
  std::vector<std::string> mechanisms;
  // Families this profile runs (by the name they register under); empty: all of them.
  std::vector<std::string> families;
  // Of those, only the benchmarks whose names match this extended regex; empty: all.
  std::string selection;
  // Worker counts of the cpu/io scaling sweeps; empty: 1, 2, 4, ... up to twice the CPU count.
  std::vector<int> worker_counts;
  // Size of each workers task relative to the defaults (quick runs use a fraction).
  double work_scale = 1.0;
  // The course's Python programs, measured too (py/...); none: this profile has no Python.
  std::optional<PythonPlan> python;
  double min_time_s = 0.1;  // Google Benchmark 1.7.1 takes plain seconds
  int repetitions = 1;
  bool random_interleaving = false;
  RoundsPlan rounds;
};

// A family's plans for one profile, declared in the family's own file (IPCBENCH_REGISTER_PLANS):
// profiles() gives each profile the plans its families declared for it.
bool register_plans(const char* profile, FamilyPlans plans);

// The plan named `name`, or Plan{} when the profile has none (an empty sweep: nothing to run; the
// homework: the classic exercise). A plan of another type under the name throws std::bad_any_cast.
template <class Plan = SweepPlan>
const Plan& plan_of(const Profile& profile, std::string_view name) {
  static const Plan none{};
  const auto it = profile.plans.find(name);
  return it == profile.plans.end() ? none : std::any_cast<const Plan&>(it->second);
}

// The same, to change (an option's value); added as Plan{} if the profile has none.
template <class Plan>
Plan& plan_to_change(Profile& profile, std::string_view name) {
  auto it = profile.plans.find(name);
  if (it == profile.plans.end()) it = profile.plans.emplace(std::string(name), Plan{}).first;
  return std::any_cast<Plan&>(it->second);
}

const std::vector<Profile>& profiles();
const Profile* find_profile(std::string_view name);
// "quick, default, full, ..." for error messages and --help.
std::string profile_names();
bool runs_family(const Profile& profile, std::string_view family);
// Whether `name` is in `names`, an empty list meaning every name (Profile::mechanisms,
// Profile::families, SweepPlan::mechanisms).
bool chosen_or_all(const std::vector<std::string>& names, std::string_view name);
// A workers task size: base * profile.work_scale, rounded, and at least `minimum`.
std::uint64_t scaled_count(const Profile& profile, double base, std::uint64_t minimum = 1);
// The profile's worker_counts, or 1, 2, 4, ... up to twice this machine's CPU count.
std::vector<int> worker_counts(const Profile& profile);

}  // namespace ipcbench

#define IPCBENCH_REGISTER_PLANS(profile, ...)                                \
  [[maybe_unused]] static const bool IPCBENCH_UNIQUE_NAME(ipcbench_plans_) = \
      ::ipcbench::register_plans(profile, __VA_ARGS__)
