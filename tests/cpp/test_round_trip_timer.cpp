// The latency driver's timer against a synthetic round trip of known length: a spin whose length
// is timed over many calls with one pair of clock readings, so the readings' cost is negligible.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "base/clock.hpp"
#include "measure/round_trip_timer.hpp"
#include "os/affinity.hpp"

namespace ipcbench {
namespace {

// A dependent chain of multiplications: a fixed amount of work, about 1-2 ns a step.
std::uint64_t spin_steps(std::uint64_t x, int steps) {
  for (int i = 0; i < steps; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  return x;
}

volatile std::uint64_t sink;

template <typename F>
std::int64_t median_of(int n, F f) {
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = f();
  std::nth_element(v.begin(), v.begin() + n / 2, v.end());
  return v[n / 2];
}

// The spin's length, from batches of calls timed as a whole: the quickest batch's mean
// (interrupts and preemption only ever lengthen a batch).
double known_length_ns(int steps) {
  constexpr int kCalls = 5000;
  std::vector<std::int64_t> batches(9);
  for (auto& b : batches)
    b = ([&] {
      const std::int64_t t0 = monotonic_ns();
      std::uint64_t x = 1;
      for (int i = 0; i < kCalls; ++i) x = spin_steps(x, steps);
      sink = x;
      return monotonic_ns() - t0;
    })();
  return static_cast<double>(*std::min_element(batches.begin(), batches.end())) / kCalls;
}

TEST(RoundTripTimer, ASyntheticRoundTripOfKnownLengthIsReportedWithinFivePercent) {
  const int steps = 100;
  ScopedPin pin(0);  // a clock reading's cost differs between CPUs: measure it where it is used
  const std::int64_t pair_cost = clock_pair_cost_ns();
  EXPECT_GT(pair_cost, 0) << "two clock readings took no time at all";
  // Interleaved, so a change of pace on a shared machine touches both the same way.
  std::vector<double> errors;
  for (int round = 0; round < 5; ++round) {
    const double known = known_length_ns(steps);
    RoundTripTimer timer(pair_cost);
    const std::int64_t measured = median_of(20001, [&] {
      timer.start();
      sink = spin_steps(sink, steps);
      return timer.stop();
    });
    errors.push_back(std::abs(static_cast<double>(measured) - known) / known);
  }
  std::nth_element(errors.begin(), errors.begin() + 2, errors.end());
  EXPECT_LT(errors[2], 0.05) << "the median round's error; the clock pair costs " << pair_cost
                             << " ns";
}

TEST(RoundTripTimer, NeverReportsLessThanNothing) {
  RoundTripTimer timer(1'000'000);
  timer.start();
  EXPECT_EQ(timer.stop(), 0);
}

}  // namespace
}  // namespace ipcbench
