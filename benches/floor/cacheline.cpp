// floor/cacheline: two CPUs passing a counter back and forth in one shared cache line, spinning.
// No mechanism can carry a message between two CPUs faster than this round trip, so every IPC
// latency can be read as a multiple of it. Timed in batches of trips with no clock read inside a
// batch: a clock read costs about as much as a fast trip (floor/clock), so reading it around each
// trip would put that cost into the floor. Percentiles are of the batches' per-trip means.
#include <atomic>
#include <memory>
#include <new>
#include <string>

#include "base/clock.hpp"
#include "bench/cross_cpu.hpp"
#include "bench/families.hpp"
#include "bench/report_counters.hpp"
#include "measure/histogram.hpp"
#include "os/shared_memory.hpp"

namespace ipcbench {
namespace {

// Trips per clock reading: about 10 µs at 100 ns a trip, so the reading costs well under 1 %.
constexpr std::int64_t kTripsPerBatch = 100;

struct alignas(kCacheLine) Line {
  std::atomic<std::uint64_t> value{0};
};

void cacheline_pingpong(benchmark::State& state, PeerKind kind, const RunSettings& run) {
  const PinPlan plan = plan_pins(PinPolicy::cross, run.cpus);
  SharedMemory shm(sizeof(Line), "floor");
  Line* line = new (shm.data()) Line;
  const auto trips = static_cast<std::uint64_t>(state.max_iterations);
  constexpr std::uint64_t kWarmup = 1000;
  auto hist = std::make_unique<Histogram>();
  std::int64_t sum = 0;

  Peer peer = Peer::start(kind, plan.peer_cpu, [line, trips]() -> PeerReport {
    for (std::uint64_t i = 0; i < kWarmup + trips; ++i) {
      spin_until(line->value, 2 * i + 1);
      line->value.store(2 * i + 2, std::memory_order_release);
    }
    return PeerReport{.messages = trips};
  });
  const std::string error = run_beside(peer, run, plan.main_cpu, [&] {
    std::uint64_t i = 0;
    for (; i < kWarmup; ++i) {
      line->value.store(2 * i + 1, std::memory_order_release);
      spin_until(line->value, 2 * i + 2);
    }
    std::int64_t batch_start = monotonic_ns();
    const std::int64_t start = batch_start;
    std::uint64_t in_batch = 0;
    for (auto _ : state) {
      line->value.store(2 * i + 1, std::memory_order_release);
      spin_until(line->value, 2 * i + 2);
      ++i;
      if (++in_batch == kTripsPerBatch) {
        const std::int64_t now = monotonic_ns();
        hist->record(static_cast<std::uint64_t>((now - batch_start) / kTripsPerBatch));
        batch_start = now;
        in_batch = 0;
        StallWatchdog::progress();
      }
    }
    const std::int64_t end = monotonic_ns();
    sum = end - start;
    if (hist->count() == 0 && in_batch > 0) {  // a run shorter than one batch
      hist->record(
          static_cast<std::uint64_t>((end - batch_start) / static_cast<std::int64_t>(in_batch)));
    }
  });
  if (!error.empty()) return state.SkipWithError(("floor/cacheline: " + error).c_str());
  state.SetIterationTime(static_cast<double>(sum) * 1e-9);
  report_percentiles(state, *hist);
  state.SetLabel("percentiles of " + std::to_string(kTripsPerBatch) + "-trip batch means");
}

// Cross-CPU only: two spinners on one CPU would measure the scheduler, not the cache.
void register_cacheline(const RunSettings& run, BenchmarkSet& set) {
  if (!pin_policy_possible(PinPolicy::cross)) return;
  for (PeerKind kind : plan_of(run.profile, "ipc").peers) {
    set.add(
        "floor/cacheline/peer:" + std::string(to_string(kind)) + "/pin:cross",
        [kind, run](benchmark::State& st) { cacheline_pingpong(st, kind, run); }, Timing::manual);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("floor/cacheline", &register_cacheline);

}  // namespace ipcbench
