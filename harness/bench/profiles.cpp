#include "bench/profiles.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "base/units.hpp"

namespace ipcbench {
namespace {

// The ci profile's subset: latency at 64 B and throughput at 64 KiB of the mechanisms people
// choose between (io_uring and cross-memory attach among them), one fan-in, two fan-outs, the
// floors, and the cheap end of every workers family.
constexpr const char* kCiSelection =
    "^(ipc/(pipe|socketpair|unix|tcp|shm_ring\\.spin|shm_ring\\.futex|eventfd\\+shm|zmq\\.ipc|"
    "cv_queue|uring|cma)/(latency|throughput)/|ipc/(posix_mq|sysv_mq)/(latency|throughput)/.*/"
    "size:64$"
    "|ipc/pipe/fan_(in|out)/|ipc/shm_ring\\.futex/fan_out/|floor/|spawn/"
    "(fork|pthread|posix_spawn)$|pool/(thread|process)/map$"
    "|cpu/count/|io/file/|ctx/|sync/lock/(std_mutex|pshared_mutex)/workers:thread/"
    "|sync/signal/event/peer:process$|load/)";

// What each of the course's claims needs, and no more (docs/course.md): the homework; spawn and a
// pool; CPU and IO scaling; the 64 B round trip of every mechanism (the shared-memory claim and
// what each costs the kernel); pipe, queue and shared-memory throughput; a switch; the cache line.
constexpr const char* kHomeworkSelection =
    "^(homework/|ipc/[^/]+/latency/peer:process/pin:cross/size:64$"
    "|ipc/(pipe|posix_mq|sysv_mq|posix_sem\\+shm|shm_ring\\.spin|shm_ring\\.futex)/throughput/"
    "peer:process/pin:cross/size:65536$"
    "|spawn/(fork|pthread)$|pool/process/(map|spawn_per_task)$|cpu/count/|io/file/|ctx/"
    "|floor/cacheline)";

std::map<std::string, FamilyPlans, std::less<>>& declared_plans() {
  static std::map<std::string, FamilyPlans, std::less<>> all;
  return all;
}

std::vector<Profile> make_profiles() {
  return {
      {.name = "quick",
       .description = "smoke run in seconds: two sizes, both peer kinds, cross-CPU pinning",
       .worker_counts = {2},
       .work_scale = 0.05,
       .python =
           PythonPlan{.ipc_sizes = {64}, .min_time_s = 0.02, .pool_tasks = 50, .workers = false},
       .min_time_s = 0.02},
      {.name = "default",
       .description = "what `make bench` runs: every mechanism at 64 B..1 MiB, both peers, "
                      "cross-CPU, fan-in from and fan-out to 8 peers, in 2 to 6 interleaved rounds",
       .python = PythonPlan{.ipc_sizes = {64, 4 * KiB, 64 * KiB},
                            .min_time_s = 0.05,
                            .pool_tasks = 500,
                            .rounds = 2},
       .min_time_s = 0.04,
       // Two rounds give every figure an interval; more go where the interval is still wide.
       .rounds = {.min = 2, .max = 6, .budget_s = 360, .narrow_enough = 0.05}},
      {.name = "full",
       .description = "every power-of-two size from 1 B, all pinnings, 3 interleaved repetitions",
       .python =
           PythonPlan{.ipc_sizes = {64, 4 * KiB, 64 * KiB}, .min_time_s = 0.3, .pool_tasks = 1000},
       .min_time_s = 0.2,
       .repetitions = 3,
       .random_interleaving = true},
      {.name = "ci",
       .description = "regression tracking: a representative subset of every family, 27 short "
                      "interleaved repetitions, about 3 minutes",
       .families = {"ipc", "load", "floor/cacheline", "floor/clock", "floor/memcpy", "floor/stream",
                    "floor/syscall", "spawn", "pool", "cpu", "io", "ctx", "sync"},
       .selection = kCiSelection,
       .worker_counts = {2},
       .work_scale = 0.25,
       // Many short repetitions: each one draws its own cross-CPU wake-up mode, so 27 of 0.05 s
       // tell a 10 % change apart far better than 9 of 0.2 s, in less time (docs/tracking.md).
       .min_time_s = 0.05,
       .repetitions = 27,
       .random_interleaving = true},
      {.name = "homework",
       .description = "`make homework`: the course's homework (a CPU, an IO and a waiting task, 10 "
                      "times each, sequentially, in 10 threads and in 10 processes) and what each "
                      "of the course's claims needs, C++ and Python, in about 2 minutes",
       .families = {"homework", "ipc", "spawn", "pool", "cpu", "io", "ctx", "floor/cacheline"},
       .selection = kHomeworkSelection,
       .worker_counts = {2},
       .python = PythonPlan{.ipc_sizes = {64}, .min_time_s = 0.05, .pool_tasks = 50, .rounds = 2},
       .min_time_s = 0.03,
       .rounds = {.min = 3, .max = 3, .budget_s = 60, .narrow_enough = 0}},
  };
}

}  // namespace

bool register_plans(const char* profile, FamilyPlans plans) {
  auto& declared = declared_plans()[profile];
  for (auto& [name, plan] : plans) declared[name] = std::move(plan);
  return true;
}

// Built on first use, after every family file has declared its plans (at static initialization).
const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = [] {
    auto made = make_profiles();
    for (const auto& [name, plans] : declared_plans()) {
      auto profile =
          std::find_if(made.begin(), made.end(), [&](const Profile& p) { return p.name == name; });
      if (profile == made.end())
        throw std::logic_error("plans declared for unknown profile '" + name + "'");
      profile->plans = plans;
    }
    return made;
  }();
  return all;
}

const Profile* find_profile(std::string_view name) {
  for (const auto& p : profiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string profile_names() {
  std::string out;
  for (const auto& p : profiles()) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

bool runs_family(const Profile& profile, std::string_view family) {
  return chosen_or_all(profile.families, family);
}

bool chosen_or_all(const std::vector<std::string>& names, std::string_view name) {
  return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

std::uint64_t scaled_count(const Profile& profile, double base, std::uint64_t minimum) {
  return std::max(minimum, static_cast<std::uint64_t>(std::llround(base * profile.work_scale)));
}

std::vector<int> worker_counts(const Profile& profile) {
  if (!profile.worker_counts.empty()) return profile.worker_counts;
  const int cpus = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  std::vector<int> counts;
  for (int n = 1; n <= 2 * cpus; n *= 2) counts.push_back(n);
  return counts;
}

}  // namespace ipcbench
