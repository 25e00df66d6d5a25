#include "ipc/load.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "base/clock.hpp"
#include "base/limit_error.hpp"
#include "bench/skip.hpp"
#include "ipc/ack.hpp"
#include "ipc/open_loop.hpp"
#include "measure/hgrm.hpp"
#include "measure/histogram.hpp"
#include "measure/payload.hpp"
#include "os/shared_memory.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// What the two ends share besides the channel. The sender fills it; the receiver reads the
// message counts while receiving (each is stored before the message it ends on is sent) and the
// rest after the peer has ended.
struct LoadShared {
  std::atomic<std::uint64_t> calibration_end{UINT64_MAX};
  std::atomic<std::uint64_t> total{UINT64_MAX};
  ScheduleFigures figures;
};

// The sender's calibration: unpaced for kCalibrationNs (at least kMinCalibration messages), then
// the receiver's acknowledgement. Returns the messages sent; shared.capacity is set.
std::uint64_t calibrate(Endpoint& ep, PayloadSource& source, LoadShared& shared) {
  const std::int64_t start = monotonic_ns();
  std::uint64_t seq = 0;
  for (bool last = false; !last; ++seq) {
    const std::int64_t now = monotonic_ns();
    last = seq + 1 >= kMinCalibration && now - start >= kCalibrationNs;
    if (last) shared.calibration_end.store(seq + 1, std::memory_order_release);
    ep.send(source.stamp_timed(seq, now, now));
  }
  Acks::await(ep, seq);
  shared.figures.capacity =
      static_cast<double>(seq) * 1e9 / static_cast<double>(monotonic_ns() - start);
  return seq;
}

// The peer: calibrate, then send on the schedule, late messages as soon as possible (never
// skipped), each stamped with when it was due and when it left.
PeerReport send_on_schedule(Endpoint& ep, const LoadParams& p, LoadShared& shared) {
  prctl(PR_SET_TIMERSLACK, 1UL);  // wake from the sleep as close to the due time as possible
  PayloadSource source(p.ipc.size, PayloadSource::Header::timed);
  const std::uint64_t first = calibrate(ep, source, shared);
  const double rate =
      p.rate.per_second > 0 ? p.rate.per_second : p.rate.of_capacity * shared.figures.capacity;
  const auto planned = std::max<std::uint64_t>(1, std::llround(rate * p.seconds));
  const double period_ns = 1e9 / rate;
  const auto give_up_ns = static_cast<std::int64_t>(3e9 * std::max(p.seconds, 0.1));
  shared.figures.offered_rate = rate;
  shared.total.store(first + planned, std::memory_order_release);
  auto lag = std::make_unique<Histogram>();
  const std::int64_t t0 = monotonic_ns() + kLeadNs;
  shared.figures.schedule_start_ns = t0;
  const std::int64_t cpu_start = thread_cpu_ns();
  std::int64_t spun = 0;
  std::uint64_t i = 0;
  for (bool last = false; !last; ++i) {
    const std::int64_t due = t0 + static_cast<std::int64_t>(static_cast<double>(i) * period_ns);
    spun += wait_until(due);
    const std::int64_t now = monotonic_ns();
    lag->record(static_cast<std::uint64_t>(now - due));
    last = i + 1 == planned;
    if (!last && now - t0 > give_up_ns) {  // hopelessly behind: end the schedule here
      shared.total.store(first + i + 1, std::memory_order_release);
      last = true;
    }
    ep.send(source.stamp_timed(first + i, due, now));
  }
  const std::int64_t cpu = thread_cpu_ns() - cpu_start - spun;
  shared.figures.lag_p99_ns = static_cast<std::int64_t>(lag->percentile(0.99));
  shared.figures.lag_max_ns = static_cast<std::int64_t>(lag->max());
  Acks::await(ep, first + i);  // the receiver has everything: closing cannot lose a message
  return {std::max<std::int64_t>(cpu, 0), i};
}

void receive_all(Endpoint& ep, std::size_t size, const LoadShared& shared, Received& out,
                 benchmark::State& state) {
  std::vector<std::byte> buf(size);
  Acks acks;
  std::uint64_t seq = 0;
  for (bool last = false; !last; ++seq) {
    verify_timed_payload(ep.recv_view(buf), seq);
    last = seq + 1 == shared.calibration_end.load(std::memory_order_acquire);
    StallWatchdog::progress();
  }
  acks.send(ep, seq);
  const std::uint64_t first = seq;
  const std::int64_t cpu_start = thread_cpu_ns();
  for (auto _ : state) {
    while (seq < shared.total.load(std::memory_order_acquire)) {
      const auto msg = ep.recv_view(buf);
      const std::int64_t now = monotonic_ns();
      out.record(now, verify_timed_payload(msg, seq));
      ++seq;
      StallWatchdog::progress();
    }
  }
  out.cpu_ns = thread_cpu_ns() - cpu_start;
  out.messages = seq - first;
  acks.send(ep, seq);
}

}  // namespace

void run_load(benchmark::State& state, const LoadParams& params) {
  if (!has_timestamp_room(state, "load", params.ipc.mechanism->name, params.ipc.size)) return;
  std::optional<SharedMemory> memory;
  try {
    memory.emplace(sizeof(LoadShared), "load");
  } catch (const LimitError& e) {  // a full /dev/shm: this machine's limit, named with its fix
    skip_benchmark(state, "load/" + params.ipc.mechanism->name + ": " + e.what());
    return;
  } catch (const std::exception& e) {
    state.SkipWithError(("load/" + params.ipc.mechanism->name + ": " + e.what()).c_str());
    return;
  }
  auto* shared = new (memory->data()) LoadShared;
  Received got;
  auto report = run_with_peer(
      state, params.ipc, [&](Endpoint& ep) { return send_on_schedule(ep, params, *shared); },
      [&](Endpoint& ep) { receive_all(ep, params.ipc.size, *shared, got, state); });
  if (!report) return;
  state.SetIterationTime(got.corrected->mean() * 1e-9);
  report_open_loop(state, shared->figures, got, got.cpu_ns, report->cpu_ns, 1);
  if (!params.hgrm_path.empty()) write_hgrm(params.hgrm_path, *got.corrected);
}

}  // namespace ipcbench
