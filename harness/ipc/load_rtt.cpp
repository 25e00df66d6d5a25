#include "ipc/load_rtt.hpp"

#include <pthread.h>
#include <sys/prctl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.hpp"
#include "ipc/open_loop.hpp"
#include "ipc/peer_work.hpp"
#include "measure/hgrm.hpp"
#include "os/stall_watchdog.hpp"
#include "os/task_stats.hpp"

namespace ipcbench {
namespace {

// The most round trips one point may schedule: a rate far above capacity is cut to three times
// what the calibration managed in the schedule's time, so no point runs for minutes.
constexpr std::uint64_t kMaxScheduled = 50'000'000;
constexpr double kOverCapacity = 3.0;

// What the sender thread and the receiving benchmark thread share.
struct RttShared {
  std::atomic<std::uint64_t> calibration_end{UINT64_MAX};
  std::atomic<std::uint64_t> total{UINT64_MAX};
  std::atomic<bool> calibrated{false};
  std::atomic<bool> stop{false};  // the receiver failed: the sender gives up
  std::int64_t calibration_start_ns = 0;
  ScheduleFigures figures;
  EndCost sender_cost;  // without its spinning
};

void wait_for_calibration(const RttShared& shared) {
  while (!shared.calibrated.load(std::memory_order_acquire)) {
    if (shared.stop.load(std::memory_order_relaxed)) throw ChannelClosed("the receiver stopped");
    std::this_thread::yield();
  }
}

// Unpaced requests for kCalibrationNs, then (once the receiver has every reply and knows the
// capacity) the plan and the schedule; each request stamped with when it was due and when it left.
void send_requests(Endpoint& ep, const LoadParams& p, RttShared& shared) {
  prctl(PR_SET_TIMERSLACK, 1UL);
  PayloadSource source(p.ipc.size, PayloadSource::Header::timed);
  const std::int64_t start = monotonic_ns();
  shared.calibration_start_ns = start;
  std::uint64_t first = 0;
  for (bool last = false; !last; ++first) {
    const std::int64_t now = monotonic_ns();
    last = first + 1 >= kMinCalibration && now - start >= kCalibrationNs;
    if (last) shared.calibration_end.store(first + 1, std::memory_order_release);
    ep.send(source.stamp_timed(first, now, now));
  }
  wait_for_calibration(shared);
  const double capacity = shared.figures.capacity;
  const double rate = p.rate.per_second > 0 ? p.rate.per_second : p.rate.of_capacity * capacity;
  const double longest = std::max(p.length.min_seconds, p.length.max_seconds);
  const double cap = std::max(1.0, kOverCapacity * capacity * longest);
  const auto planned = static_cast<std::uint64_t>(
      std::min({double(scheduled_messages(rate, p.length)), cap, double(kMaxScheduled)}));
  shared.figures.offered_rate = rate;
  shared.total.store(first + planned, std::memory_order_release);
  std::vector<std::byte> plan(p.ipc.size);
  write_relay_plan(plan, planned);
  ep.send(plan);
  auto lag = std::make_unique<Histogram>();
  const double period_ns = 1e9 / rate;
  const std::int64_t t0 = monotonic_ns() + kLeadNs;
  shared.figures.schedule_start_ns = t0;
  CostMeter meter(CostScope{false, p.ipc.count_kernel_events});  // helpers: the receiver's
  std::int64_t spun = 0;
  for (std::uint64_t i = 0; i < planned && !shared.stop.load(std::memory_order_relaxed); ++i) {
    const std::int64_t due = t0 + static_cast<std::int64_t>(static_cast<double>(i) * period_ns);
    spun += wait_until(due);
    const std::int64_t now = monotonic_ns();
    lag->record(static_cast<std::uint64_t>(now - due));
    ep.send(source.stamp_timed(first + i, due, now));
    StallWatchdog::progress();
  }
  shared.sender_cost = meter.stop(spun);
  shared.figures.lag_p99_ns = sampled_p99(*lag);
  shared.figures.lag_max_ns = static_cast<std::int64_t>(lag->max());
}

// The benchmark thread: every reply verified in order; the calibration's give the capacity.
void receive_replies(Endpoint& ep, const IpcParams& params, RttShared& shared, Received& out,
                     benchmark::State& state) {
  std::vector<std::byte> buf(params.size);
  std::uint64_t seq = 0;
  for (bool last = false; !last; ++seq) {
    verify_timed_payload(ep.recv_view(buf), seq);
    last = seq + 1 == shared.calibration_end.load(std::memory_order_acquire);
    StallWatchdog::progress();
  }
  shared.figures.capacity = static_cast<double>(seq) * 1e9 /
                            static_cast<double>(monotonic_ns() - shared.calibration_start_ns);
  // Set up before the sender is released: its schedule starts 1 ms later, and reading /proc for
  // the helpers must not eat into that.
  CostMeter meter(main_cost_scope(params));
  shared.calibrated.store(true, std::memory_order_release);
  const std::uint64_t first = seq;
  for (auto _ : state) {
    while (seq < shared.total.load(std::memory_order_acquire)) {
      const auto msg = ep.recv_view(buf);
      out.record(monotonic_ns(), verify_timed_payload(msg, seq));
      ++seq;
      StallWatchdog::progress();
    }
  }
  out.cost = meter.stop();
  out.messages = seq - first;
}

// Both halves of our side: the sender in its own thread (on our CPU: threads inherit it), the
// receiver here. The first to fail stops the other (its blocking call is interrupted and ends
// with ChannelClosed), and its error is the one thrown.
void exchange(Endpoint& ep, const LoadParams& p, RttShared& shared, Received& got,
              benchmark::State& state) {
  enum { none, sender_failed, receiver_failed };
  std::atomic<int> first{none};
  std::atomic<bool> sender_done{false};
  std::exception_ptr sender_error, receiver_error;
  const pthread_t receiver = pthread_self();
  std::thread sender([&] {
    try {
      name_harness_thread("sender");
      send_requests(ep, p, shared);
    } catch (const std::exception&) {
      sender_error = std::current_exception();
      int expected = none;
      if (first.compare_exchange_strong(expected, sender_failed)) {
        shared.stop = true;
        StallWatchdog::abandon_waits();
        StallWatchdog::interrupt(receiver);
      }
    }
    sender_done = true;
  });
  try {
    receive_replies(ep, p.ipc, shared, got, state);
  } catch (const std::exception&) {
    receiver_error = std::current_exception();
    int expected = none;
    first.compare_exchange_strong(expected, receiver_failed);
    shared.stop = true;
    StallWatchdog::abandon_waits();
    while (!sender_done) {  // until a blocking send of the sender's sees the abandonment
      StallWatchdog::interrupt(sender.native_handle());
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  sender.join();
  if (first == sender_failed) std::rethrow_exception(sender_error);
  if (receiver_error) std::rethrow_exception(receiver_error);
}

}  // namespace

void run_load_rtt(benchmark::State& state, const LoadParams& params) {
  if (!has_timestamp_room(state, "load_rtt", params.ipc.mechanism->name, params.ipc.size)) return;
  RttShared shared;
  Received got;
  const PeerWork relay{"relay", params.ipc.size, 0, kMaxScheduled, peer_cost_scope(params.ipc)};
  auto report = run_with_peer(state, params.ipc, relay,
                              [&](Endpoint& ep) { exchange(ep, params, shared, got, state); });
  if (!report) return;
  state.SetIterationTime(got.corrected->mean() * 1e-9);
  EndCost main_cost = got.cost;
  main_cost += shared.sender_cost;
  report_open_loop(state, shared.figures, got, main_cost, report->cost, 2);
  if (!params.hgrm_path.empty()) write_hgrm(params.hgrm_path, *got.corrected);
}

}  // namespace ipcbench
