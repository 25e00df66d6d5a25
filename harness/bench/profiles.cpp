#include "bench/profiles.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace ipcbench {
namespace {

constexpr std::size_t KiB = 1024, MiB = 1024 * KiB;

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

// The load sweep of the default profile: the mechanisms a reader chooses between most.
const std::vector<std::string> kLoadMechanisms = {
    "pipe",          "pipe.busy",      "unix",        "tcp",     "posix_mq",
    "shm_ring.spin", "shm_ring.futex", "eventfd+shm", "zmq.ipc", "uring"};

std::vector<Profile> make_profiles() {
  const std::vector<PeerKind> both_peers = {PeerKind::process, PeerKind::thread};
  const std::vector<PinPolicy> all_pins = {PinPolicy::none, PinPolicy::same, PinPolicy::cross};
  std::vector<std::size_t> every_power_of_two;
  for (std::size_t s = 1; s <= MiB; s *= 2) every_power_of_two.push_back(s);

  const std::vector<int> producers = {1, 2, 4, 8};
  const std::vector<int> consumers = {1, 2, 4, 8};
  // Absolute rates, then shares of each mechanism's calibrated capacity up to just past it.
  const std::vector<std::string> load_sweep = {"1k",  "10k", "100k", "10%",  "25%",
                                               "50%", "75%", "90%",  "100%", "110%"};
  std::vector<std::string> full_sweep = load_sweep;
  full_sweep.insert(full_sweep.begin() + 3, "1M");
  return {
      {.name = "quick",
       .description = "smoke run in seconds: two sizes, both peer kinds, cross-CPU pinning",
       .ipc_sizes = {64, 64 * KiB},
       .peers = both_peers,
       .pins = {PinPolicy::cross},
       .fan_in = {.sizes = {64}, .counts = {2}, .pins = {PinPolicy::none}},
       .fan_out = {.sizes = {64}, .counts = {2}, .pins = {PinPolicy::none}},
       .worker_counts = {2},
       .work_scale = 0.05,
       .load = {.mechanisms = {"pipe", "shm_ring.spin"},
                .peers = both_peers,
                .pins = {PinPolicy::cross},
                .sizes = {64},
                .rates = {"10k", "50%"},
                .seconds = 0.05},
       .load_rtt = {.mechanisms = {"tcp"},
                    .peers = {PeerKind::process},
                    .pins = {PinPolicy::cross},
                    .sizes = {64},
                    .rates = {"10k", "50%"},
                    .seconds = 0.05},
       .homework = {.loops = 350'000, .lines = 85'000, .tasks = 4},
       .python =
           PythonPlan{.ipc_sizes = {64}, .min_time_s = 0.02, .pool_tasks = 50, .workers = false},
       .spawn_heap_bytes = 64 * MiB,
       .min_time_s = 0.02},
      {.name = "default",
       .description = "what `make bench` runs: every mechanism at 8 B..1 MiB, both peers, "
                      "same- and cross-CPU, fan-in from and fan-out to 8 peers",
       .ipc_sizes = {8, 64, KiB, 16 * KiB, 64 * KiB, MiB},
       .peers = both_peers,
       .pins = {PinPolicy::same, PinPolicy::cross},
       .fan_in = {.sizes = {64}, .counts = producers, .pins = {PinPolicy::none}},
       .zero_copy_sizes = {4 * MiB, 16 * MiB},
       .fan_out = {.sizes = {64, 64 * KiB}, .counts = consumers, .pins = {PinPolicy::none}},
       .load = {.mechanisms = kLoadMechanisms,
                .peers = {PeerKind::process},
                .pins = {PinPolicy::cross},
                .sizes = {64},
                .rates = load_sweep,
                .seconds = 0.5},
       .load_rtt = {.mechanisms = {"tcp"},
                    .peers = {PeerKind::process},
                    .pins = {PinPolicy::cross},
                    .sizes = {64},
                    .rates = load_sweep,
                    .seconds = 0.5},
       .python = PythonPlan{.ipc_sizes = {64, 4 * KiB, 64 * KiB}, .pool_tasks = 500},
       .min_time_s = 0.05},
      {.name = "full",
       .description = "every power-of-two size from 1 B, all pinnings, 3 interleaved repetitions",
       .ipc_sizes = every_power_of_two,
       .peers = both_peers,
       .pins = all_pins,
       .fan_in = {.sizes = {16, 64, 256, KiB, 4 * KiB, 64 * KiB},
                  .counts = producers,
                  .pins = all_pins},
       .zero_copy_sizes = {2 * MiB, 4 * MiB, 8 * MiB, 16 * MiB},
       .fan_out = {.sizes = {64, 4 * KiB, 64 * KiB, MiB}, .counts = consumers, .pins = all_pins},
       .load = {.peers = both_peers,
                .pins = {PinPolicy::same, PinPolicy::cross},
                .sizes = {64},
                .rates = full_sweep,
                .seconds = 0.5},
       .load_rtt = {.mechanisms = {"tcp", "udp", "zmq.tcp"},
                    .peers = {PeerKind::process},
                    .pins = {PinPolicy::same, PinPolicy::cross},
                    .sizes = {64},
                    .rates = load_sweep,
                    .seconds = 0.5},
       .python =
           PythonPlan{.ipc_sizes = {64, 4 * KiB, 64 * KiB}, .min_time_s = 0.3, .pool_tasks = 1000},
       .min_time_s = 0.2,
       .repetitions = 3,
       .random_interleaving = true},
      {.name = "ci",
       .description = "regression tracking: a representative subset of every family, 27 short "
                      "interleaved repetitions, about 3 minutes",
       .ipc_sizes = {64, 64 * KiB},
       .peers = {PeerKind::process},
       .pins = {PinPolicy::cross},
       .fan_in = {.sizes = {64}, .counts = {2}, .pins = {PinPolicy::none}},
       .fan_out = {.sizes = {64}, .counts = {2}, .pins = {PinPolicy::none}},
       .families = {"ipc", "load", "floor/cacheline", "floor/clock", "floor/memcpy", "floor/stream",
                    "floor/syscall", "spawn", "pool", "cpu", "io", "ctx", "sync"},
       .selection = kCiSelection,
       .worker_counts = {2},
       .work_scale = 0.25,
       .load = {.mechanisms = {"pipe", "shm_ring.futex"},
                .peers = {PeerKind::process},
                .pins = {PinPolicy::cross},
                .sizes = {64},
                .rates = {"10k"},
                .seconds = 0.2},
       .spawn_heap_bytes = 64 * MiB,
       // Many short repetitions: each one draws its own cross-CPU wake-up mode, so 27 of 0.05 s
       // tell a 10 % change apart far better than 9 of 0.2 s, in less time (docs/tracking.md).
       .min_time_s = 0.05,
       .repetitions = 27,
       .random_interleaving = true},
      {.name = "homework",
       .description = "the course's homework only: a CPU and an IO task, 10 times each, "
                      "sequentially, in 10 threads and in 10 processes",
       .families = {"homework"},
       .python = PythonPlan{.ipc = false, .workers = false},
       .min_time_s = 0.01,
       .repetitions = 3},
  };
}

}  // namespace

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = make_profiles();
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
  return profile.families.empty() || std::find(profile.families.begin(), profile.families.end(),
                                               family) != profile.families.end();
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
