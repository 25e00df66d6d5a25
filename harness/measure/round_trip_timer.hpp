// Times one round trip between two clock readings, less what the two readings add themselves: a
// reading costs tens of ns (floor/clock), as much as a fast trip, so it is measured and taken off.
#pragma once

#include <algorithm>
#include <cstdint>

#include "base/clock.hpp"

namespace ipcbench {

// What a pair of clock readings adds to the interval it brackets, measured around work of known
// length (about 1 ms of measuring).
std::int64_t clock_pair_cost_ns();

class RoundTripTimer {
 public:
  explicit RoundTripTimer(std::int64_t pair_cost_ns) : pair_cost_(pair_cost_ns) {}
  void start() { t0_ = monotonic_ns(); }
  // Nanoseconds since start(), less the readings' own cost (never below zero).
  std::int64_t stop() const { return std::max<std::int64_t>(0, monotonic_ns() - t0_ - pair_cost_); }
  std::int64_t pair_cost_ns() const { return pair_cost_; }

 private:
  std::int64_t pair_cost_;
  std::int64_t t0_ = 0;
};

}  // namespace ipcbench
