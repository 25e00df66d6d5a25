// What the open-loop drivers (load/*, load_rtt/*) share: the sender's schedule keeping, and the
// receiver's record of latencies from each message's scheduled and actual send times, reported
// as the same counters.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>

#include "measure/histogram.hpp"
#include "measure/payload.hpp"
#include "os/cost_meter.hpp"

namespace ipcbench {

// Unpaced messages first: they warm the path up and measure the capacity a share refers to.
inline constexpr std::int64_t kCalibrationNs = 20'000'000;
inline constexpr std::uint64_t kMinCalibration = 64;
// The schedule starts this long after calibration, so its first message is not already late.
inline constexpr std::int64_t kLeadNs = 1'000'000;

// False (after skipping the benchmark, naming `family`/`mechanism`) when a `size`-byte message has
// no room for the timed header's two timestamps.
bool has_timestamp_room(benchmark::State& state, const std::string& family,
                        const std::string& mechanism, std::size_t size);

// How long a schedule runs: at least min_seconds, and on, up to max_seconds, until every reported
// percentile has its samples behind it (p99.9: 10,000 messages; measure/percentile_rule).
struct ScheduleLength {
  double min_seconds = 0.5;
  double max_seconds = 0;  // at most min_seconds when smaller
};
// The messages a schedule at `rate` per second sends (at least 1).
std::uint64_t scheduled_messages(double rate, const ScheduleLength& length);

// The sender's lateness at p99 when it has the samples for one, else -1 (ScheduleFigures).
std::int64_t sampled_p99(const Histogram& lag);

// Sleeps, then spins, until deadline. Returns the time spent spinning (CPU, not the mechanism's).
std::int64_t wait_until(std::int64_t deadline);

// The sender's side of a schedule, as the receiver reports it.
struct ScheduleFigures {
  double capacity = 0;      // messages per second, unpaced
  double offered_rate = 0;  // messages per second on the schedule
  std::int64_t schedule_start_ns = 0;
  std::int64_t lag_p99_ns = -1;  // -1: too few messages for a p99 (measure/percentile_rule)
  std::int64_t lag_max_ns = 0;
};

// Latencies of the scheduled messages, from when each was due (corrected) and when it left.
struct Received {
  std::unique_ptr<Histogram> corrected = std::make_unique<Histogram>();
  std::unique_ptr<Histogram> uncorrected = std::make_unique<Histogram>();
  std::int64_t last_ns = 0;
  EndCost cost;
  std::uint64_t messages = 0;

  void record(std::int64_t now, const MessageTimes& t) {
    corrected->record(static_cast<std::uint64_t>(std::max<std::int64_t>(now - t.scheduled_ns, 0)));
    uncorrected->record(static_cast<std::uint64_t>(std::max<std::int64_t>(now - t.sent_ns, 0)));
    last_ns = now;
  }
};

// Rates, percentiles (corrected and not), the sender's lateness and what both ends spent per
// message moved (`moved_per_message`: 1 one way, 2 for a round trip).
void report_open_loop(benchmark::State& state, const ScheduleFigures& schedule, const Received& got,
                      const EndCost& main, const EndCost& peer, double moved_per_message);

}  // namespace ipcbench
