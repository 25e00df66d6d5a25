#include "measure/percentile_rule.hpp"

#include <algorithm>
#include <cmath>

namespace ipcbench {
namespace {

constexpr double kZ95 = 1.959964;

// 1234567 -> "1,234,567": the counts people read in a reason.
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::uint64_t samples_needed(double q) {
  // 1 - 0.9 is 0.09999999999999998 in binary: the small margin keeps p90 at 100, not 101.
  return static_cast<std::uint64_t>(
      std::ceil(static_cast<double>(kSamplesBeyond) / (1 - q) - 1e-6));
}

const std::array<ReportedPercentile, 4>& reported_percentiles() {
  static const std::array<ReportedPercentile, 4> all = {{{"p50_ns", 0.50, "p50"},
                                                         {"p90_ns", 0.90, "p90"},
                                                         {"p99_ns", 0.99, "p99"},
                                                         {"p999_ns", 0.999, "p99.9"}}};
  return all;
}

std::string absent_reason(const ReportedPercentile& p, std::uint64_t samples) {
  return std::string(p.label) + " needs " + grouped(samples_needed(p.q)) +
         " samples; this run has " + grouped(samples);
}

std::optional<PercentileEstimate> estimate_percentile(const Histogram& hist, double q) {
  const std::uint64_t n = hist.count();
  if (n < samples_needed(q)) return std::nullopt;
  const double centre = q * static_cast<double>(n);
  const double spread = kZ95 * std::sqrt(centre * (1 - q));
  const auto lo_rank = static_cast<std::uint64_t>(std::max(1.0, std::floor(centre - spread)));
  const auto hi_rank =
      static_cast<std::uint64_t>(std::min(static_cast<double>(n), std::ceil(centre + spread) + 1));
  return PercentileEstimate{
      hist.percentile(q),
      std::max(Histogram::lowest_in_bucket(hist.bucket_of_rank(lo_rank)), hist.min()),
      std::min(Histogram::highest_in_bucket(hist.bucket_of_rank(hi_rank)), hist.max())};
}

}  // namespace ipcbench
