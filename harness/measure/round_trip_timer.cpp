#include "measure/round_trip_timer.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ipcbench {
namespace {

// A fixed amount of work that does not depend on the clock: a chain of multiplications.
std::uint64_t work(std::uint64_t x) {
  for (int i = 0; i < 64; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  return x;
}

volatile std::uint64_t g_sink = 1;  // keeps the work from being optimised away

std::int64_t median(std::vector<std::int64_t> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace

// Two readings back to back are further apart than the readings add to an interval with work in
// it: the CPU overlaps the end of the first reading with the work. So the cost is measured around
// work whose length is known from batches of it timed as a whole (where the readings' cost is
// spread over a thousand calls), in rounds that interleave the two.
std::int64_t clock_pair_cost_ns() {
  constexpr int kRounds = 21, kBatch = 1000, kSingles = 201;
  std::vector<std::int64_t> batches, singles;
  for (int round = 0; round < kRounds; ++round) {
    const std::int64_t t0 = monotonic_ns();
    std::uint64_t x = g_sink;
    for (int i = 0; i < kBatch; ++i) x = work(x);
    g_sink = x;
    batches.push_back(monotonic_ns() - t0);
    for (int i = 0; i < kSingles; ++i) {
      const std::int64_t s0 = monotonic_ns();
      g_sink = work(g_sink);
      singles.push_back(monotonic_ns() - s0);
    }
  }
  // The quickest batch: interrupts and preemption only ever lengthen one.
  const double work_ns =
      static_cast<double>(*std::min_element(batches.begin(), batches.end())) / kBatch;
  return std::max<std::int64_t>(0, std::llround(static_cast<double>(median(singles)) - work_ns));
}

}  // namespace ipcbench
