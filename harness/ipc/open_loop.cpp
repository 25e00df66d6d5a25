#include "ipc/open_loop.hpp"

#include <sched.h>
#include <time.h>

#include <cmath>

#include "base/clock.hpp"
#include "bench/report_counters.hpp"
#include "bench/skip.hpp"
#include "measure/counters.hpp"

namespace ipcbench {
namespace {

// The sender sleeps until this long before a message is due, then spins to the due time: waking
// a sleeping task costs tens of µs on a VM, and an idle vCPU can take about a millisecond to be
// given back (docs/load.md: a shorter window left messages most of a millisecond late). Spinning
// keeps the schedule to a few µs; the spinning is not counted as the sender's CPU per message.
constexpr std::int64_t kSpinWindowNs = 2'000'000;

}  // namespace

bool has_timestamp_room(benchmark::State& state, const std::string& family,
                        const std::string& mechanism, std::size_t size) {
  if (size >= PayloadSource::kTimedHeaderSize) return true;
  skip_benchmark(state, family + "/" + mechanism + ": a " + std::to_string(size) +
                            " B message has no room for its two timestamps (32 B at least)");
  return false;
}

std::int64_t wait_until(std::int64_t deadline) {
  std::int64_t now = monotonic_ns();
  if (deadline - now > kSpinWindowNs) {
    const std::int64_t wake = deadline - kSpinWindowNs;
    const timespec at{static_cast<time_t>(wake / 1'000'000'000),
                      static_cast<long>(wake % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr) == EINTR) {
    }
    now = monotonic_ns();
  }
  const std::int64_t spin_start = now;
  while (now < deadline) {
    sched_yield();  // with pin:same the receiver shares this CPU and must get it
    now = monotonic_ns();
  }
  return now - spin_start;
}

std::uint64_t scheduled_messages(double rate, const ScheduleLength& length) {
  const double most = rate * std::max(length.min_seconds, length.max_seconds);
  const double wanted = std::max(rate * length.min_seconds, double(samples_needed(0.999)));
  return static_cast<std::uint64_t>(std::max(1.0, std::round(std::min(wanted, most))));
}

std::int64_t sampled_p99(const Histogram& lag) {
  return lag.count() >= samples_needed(0.99) ? static_cast<std::int64_t>(lag.percentile(0.99)) : -1;
}

void report_open_loop(benchmark::State& state, const ScheduleFigures& schedule, const Received& got,
                      const EndCost& main, const EndCost& peer, double moved_per_message) {
  const auto messages = static_cast<double>(got.messages);
  const double seconds = static_cast<double>(got.last_ns - schedule.schedule_start_ns) * 1e-9;
  const double achieved = seconds > 0 ? messages / seconds : 0;
  const Histogram& u = *got.uncorrected;
  auto& k = state.counters;
  k[counters::kOfferedRate] = schedule.offered_rate;
  k[counters::kAchievedRate] = achieved;
  k[counters::kCapacityRate] = schedule.capacity;
  // Below 95 % of the offered rate the mechanism did not keep up: said, never left to be guessed.
  k[counters::kRateNotAchieved] = achieved < 0.95 * schedule.offered_rate ? 1 : 0;
  report_percentiles(state, *got.corrected);
  report_percentile_if_sampled(state, counters::kUncorrectedP50, u, 0.50);
  report_percentile_if_sampled(state, counters::kUncorrectedP99, u, 0.99);
  report_percentile_if_sampled(state, counters::kUncorrectedP999, u, 0.999);
  k[counters::kUncorrectedMax] = static_cast<double>(u.max());
  if (schedule.lag_p99_ns >= 0)
    k[counters::kSenderLagP99] = static_cast<double>(schedule.lag_p99_ns);
  k[counters::kSenderLagMax] = static_cast<double>(schedule.lag_max_ns);
  k[counters::kMessages] = messages;
  report_costs(state, main, peer, messages * moved_per_message);
}

}  // namespace ipcbench
