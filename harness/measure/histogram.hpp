// Log-linear latency histogram (HdrHistogram's layout): exact below 128 ns, then 128 linear
// sub-buckets per power of two, so any percentile is within 0.8 % of the true value.
#pragma once

#include <array>
#include <cstdint>

namespace ipcbench {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;
  static constexpr std::size_t kBucketCount = (64 - kSubBucketBits + 1) * kSubBuckets;

  // Called once per measured round trip: no allocation, no branches beyond the bucket index.
  void record(std::uint64_t value) {
    ++counts_[index_of(value)];
    ++total_;
    sum_ += value;
    if (value > max_) max_ = value;
    if (value < min_) min_ = value;
  }

  std::uint64_t count() const { return total_; }
  std::uint64_t max() const { return total_ ? max_ : 0; }
  std::uint64_t min() const { return total_ ? min_ : 0; }
  double mean() const {
    return total_ ? static_cast<double>(sum_) / static_cast<double>(total_) : 0;
  }
  // From the buckets' midpoints: as precise as the percentiles.
  double stddev() const;
  // The value at quantile q in [0, 1]: the midpoint of the bucket holding the ceil(q*n)-th
  // smallest value, clamped to the observed min and max. 0 when empty.
  std::uint64_t percentile(double q) const;
  // The bucket holding the rank-th smallest value (1-based); the last non-empty one past the count.
  std::size_t bucket_of_rank(std::uint64_t rank) const;

  static std::size_t index_of(std::uint64_t value);
  static std::uint64_t lowest_in_bucket(std::size_t index);
  static std::uint64_t highest_in_bucket(std::size_t index);

 private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;  // 2^64 ns is 584 years of recorded time: no overflow in any run
  std::uint64_t max_ = 0;
  std::uint64_t min_ = UINT64_MAX;
};

}  // namespace ipcbench
