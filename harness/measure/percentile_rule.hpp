// When a percentile may be reported (HdrHistogram's guidance: at least ten samples beyond it) and
// the 95 % interval its samples give it (order statistics), one rule for every percentile written.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "measure/histogram.hpp"

namespace ipcbench {

inline constexpr std::uint64_t kSamplesBeyond = 10;

// The samples a quantile q needs: ten beyond it (p99: 1,000; p99.9: 10,000).
std::uint64_t samples_needed(double q);

// A percentile ipcbench reports: its counter, its quantile and how people write it ("p99.9").
struct ReportedPercentile {
  const char* counter;
  double q;
  const char* label;
};
const std::array<ReportedPercentile, 4>& reported_percentiles();

// "p99.9 needs 10,000 samples; this run has 1,402": why a percentile is absent.
std::string absent_reason(const ReportedPercentile& p, std::uint64_t samples);

// A percentile and its 95 % interval: the values at the order statistics that bracket rank q*n
// (normal approximation to the binomial), each widened to its bucket's edge.
struct PercentileEstimate {
  std::uint64_t value = 0;
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
};
// None when the histogram has fewer than samples_needed(q) samples.
std::optional<PercentileEstimate> estimate_percentile(const Histogram& hist, double q);

}  // namespace ipcbench
