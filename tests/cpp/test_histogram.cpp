#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "measure/histogram.hpp"

using ipcbench::Histogram;

TEST(Histogram, EmptyReportsZero) {
  auto h = std::make_unique<Histogram>();
  EXPECT_EQ(h->count(), 0u);
  EXPECT_EQ(h->percentile(0.5), 0u);
  EXPECT_EQ(h->max(), 0u);
}

TEST(Histogram, SmallValuesAreExact) {
  auto h = std::make_unique<Histogram>();
  for (std::uint64_t v = 1; v <= 100; ++v) h->record(v);
  EXPECT_EQ(h->percentile(0.50), 50u);
  EXPECT_EQ(h->percentile(0.90), 90u);
  EXPECT_EQ(h->percentile(0.99), 99u);
  EXPECT_EQ(h->percentile(1.0), 100u);
  EXPECT_EQ(h->min(), 1u);
  EXPECT_EQ(h->max(), 100u);
}

TEST(Histogram, LargeValuesWithinOnePercent) {
  auto h = std::make_unique<Histogram>();
  for (std::uint64_t v = 1; v <= 100000; ++v) h->record(v * 1000);  // 1 us .. 100 ms
  const struct {
    double q;
    double expected;
  } cases[] = {{0.5, 50e6}, {0.9, 90e6}, {0.99, 99e6}, {0.999, 99.9e6}};
  for (const auto& c : cases) {
    const double got = static_cast<double>(h->percentile(c.q));
    EXPECT_NEAR(got, c.expected, c.expected * 0.01) << "q=" << c.q;
  }
  EXPECT_EQ(h->max(), 100000u * 1000);
}

TEST(Histogram, OutlierShowsInTailOnly) {
  auto h = std::make_unique<Histogram>();
  for (int i = 0; i < 999; ++i) h->record(5000);
  h->record(2'000'000);
  EXPECT_NEAR(static_cast<double>(h->percentile(0.5)), 5000.0, 50.0);
  EXPECT_NEAR(static_cast<double>(h->percentile(0.99)), 5000.0, 50.0);
  EXPECT_EQ(h->percentile(1.0), 2'000'000u);
  EXPECT_EQ(h->max(), 2'000'000u);
}

TEST(Histogram, BucketsTileTheRangeWithoutGaps) {
  for (std::size_t i = 1; i < 2000; ++i) {
    EXPECT_EQ(Histogram::lowest_in_bucket(i), Histogram::highest_in_bucket(i - 1) + 1) << i;
  }
  for (std::uint64_t v : {0ull, 1ull, 127ull, 128ull, 129ull, 1000ull, 123456789ull, ~0ull}) {
    const auto i = Histogram::index_of(v);
    EXPECT_LE(Histogram::lowest_in_bucket(i), v);
    EXPECT_GE(Histogram::highest_in_bucket(i), v);
    EXPECT_LT(i, Histogram::kBucketCount);
  }
}
