#include "measure/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace ipcbench {

double Histogram::stddev() const {
  if (total_ < 2) return 0;
  const double m = mean();
  double sum_sq = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    if (counts_[i] == 0) continue;
    const double mid =
        (static_cast<double>(lowest_in_bucket(i)) + static_cast<double>(highest_in_bucket(i))) / 2;
    sum_sq += static_cast<double>(counts_[i]) * (mid - m) * (mid - m);
  }
  return std::sqrt(sum_sq / static_cast<double>(total_));
}

std::size_t Histogram::index_of(std::uint64_t value) {
  if (value < kSubBuckets) return static_cast<std::size_t>(value);
  const int top_bit = 63 - __builtin_clzll(value);
  const int shift = top_bit - kSubBucketBits;
  const std::uint64_t sub = (value >> shift) - kSubBuckets;
  return static_cast<std::size_t>((shift + 1) * kSubBuckets + sub);
}

std::uint64_t Histogram::lowest_in_bucket(std::size_t index) {
  if (index < kSubBuckets) return index;
  const std::uint64_t shift = index / kSubBuckets - 1;
  const std::uint64_t sub = index % kSubBuckets + kSubBuckets;
  return sub << shift;
}

std::uint64_t Histogram::highest_in_bucket(std::size_t index) {
  if (index < kSubBuckets) return index;
  const std::uint64_t shift = index / kSubBuckets - 1;
  return lowest_in_bucket(index) + ((std::uint64_t{1} << shift) - 1);
}

std::size_t Histogram::bucket_of_rank(std::uint64_t rank) const {
  std::uint64_t seen = 0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    seen += counts_[i];
    last = i;
    if (seen >= rank) break;
  }
  return last;
}

std::uint64_t Histogram::percentile(double q) const {
  if (total_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * total_)));
  const std::size_t i = bucket_of_rank(rank);
  const std::uint64_t lo = lowest_in_bucket(i), hi = highest_in_bucket(i);
  return std::clamp(lo + (hi - lo) / 2, min_, max_);
}

}  // namespace ipcbench
