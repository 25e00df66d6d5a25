#include "ipc/one_way.hpp"

#include <memory>
#include <stdexcept>
#include <thread>

#include "base/clock.hpp"
#include "base/limit_error.hpp"
#include "bench/skip.hpp"
#include "ipc/ack.hpp"
#include "measure/histogram.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

std::uint64_t calibrate(Endpoint& ep, PayloadSource& source, OneWayShared& shared) {
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

SentSchedule send_schedule(Endpoint& ep, PayloadSource& source, OneWayShared& shared,
                           std::uint64_t first, double rate, std::uint64_t planned,
                           CostScope scope) {
  const double period_ns = 1e9 / rate;
  const auto give_up_ns = static_cast<std::int64_t>(3 * period_ns * static_cast<double>(planned)) +
                          std::int64_t{300'000'000};
  shared.figures.offered_rate = rate;
  shared.total.store(first + planned, std::memory_order_release);
  auto lag = std::make_unique<Histogram>();
  const std::int64_t t0 = monotonic_ns() + kLeadNs;
  // Atomic: a capacity search's receiver reads it as soon as the schedule's messages are in, with
  // a thread peer still running (the channel's syscalls order it, but no sanitizer sees that).
  std::atomic_ref(shared.figures.schedule_start_ns).store(t0, std::memory_order_release);
  CostMeter meter(scope);
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
  shared.figures.lag_p99_ns = sampled_p99(*lag);
  shared.figures.lag_max_ns = static_cast<std::int64_t>(lag->max());
  return {i, meter.stop(spun)};
}

std::uint64_t receive_calibration(Endpoint& ep, std::vector<std::byte>& buf,
                                  const OneWayShared& shared) {
  Acks acks;
  std::uint64_t seq = 0;
  for (bool last = false; !last; ++seq) {
    verify_timed_payload(ep.recv_view(buf), seq);
    last = seq + 1 == shared.calibration_end.load(std::memory_order_acquire);
    StallWatchdog::progress();
  }
  acks.send(ep, seq);
  return seq;
}

std::uint64_t receive_schedule(Endpoint& ep, std::vector<std::byte>& buf,
                               const OneWayShared& shared, std::uint64_t seq, Received& out) {
  while (seq < shared.total.load(std::memory_order_acquire)) {
    const auto msg = ep.recv_view(buf);
    const std::int64_t now = monotonic_ns();
    out.record(now, verify_timed_payload(msg, seq));
    ++seq;
    StallWatchdog::progress();
  }
  return seq;
}

void* place_shared(benchmark::State& state, const std::string& what, std::size_t bytes,
                   std::optional<SharedMemory>& memory) {
  try {
    memory.emplace(bytes, "load");
    return memory->data();
  } catch (const LimitError& e) {
    skip_benchmark(state, what + ": " + e.what());
  } catch (const std::exception& e) {
    state.SkipWithError((what + ": " + e.what()).c_str());
  }
  return nullptr;
}

void wait_until_ready(const std::function<bool()>& ready, std::chrono::milliseconds timeout,
                      const char* what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(std::string("the other end did not ") + what + " within " +
                               std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
}

}  // namespace ipcbench
