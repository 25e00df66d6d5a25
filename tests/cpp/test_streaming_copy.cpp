// The cache-bypassing copy the shared-memory ring uses for large chunks equals memcpy at every
// length and alignment, including the unaligned head and the tail it finishes with memcpy.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "channel/ring_copy.hpp"
#include "channel/streaming_copy.hpp"

using namespace ipcbench;

TEST(StreamingCopy, CopiesEveryLengthAndAlignmentExactly) {
  std::mt19937 rng(7);
  std::vector<std::byte> src(300000);
  for (auto& b : src) b = static_cast<std::byte>(rng());
  for (std::size_t dst_offset : {0, 1, 8, 16, 32, 48}) {
    for (std::size_t n : {0, 1, 15, 16, 63, 64, 65, 4096, 4099, 262144, 262144 + 17}) {
      std::vector<std::byte> dst(n + 128, std::byte{0xee});
      streaming_copy(dst.data() + dst_offset, src.data() + 3, n);
      EXPECT_EQ(std::memcmp(dst.data() + dst_offset, src.data() + 3, n), 0)
          << "offset " << dst_offset << " n " << n;
      // Nothing outside the destination range was touched.
      for (std::size_t i = 0; i < dst_offset; ++i) ASSERT_EQ(dst[i], std::byte{0xee});
      for (std::size_t i = dst_offset + n; i < dst.size(); ++i) ASSERT_EQ(dst[i], std::byte{0xee});
    }
  }
}

// The ring's copy choice is what its own trials say: streaming from the smallest size from which
// it was faster at every larger size measured, and never when it lost at the largest.
TEST(RingCopy, ChoiceFollowsItsTrials) {
  const ipcbench::RingCopyChoice choice = ipcbench::measure_ring_copy({});
  ASSERT_EQ(choice.trials.size(), 6u);
  std::map<std::size_t, std::pair<double, double>> by_size;  // size -> (ordinary, streaming)
  for (const auto& t : choice.trials) {
    EXPECT_GT(t.bytes_per_second, 0) << t.size;
    (t.streaming ? by_size[t.size].second : by_size[t.size].first) = t.bytes_per_second;
  }
  std::size_t expected = SIZE_MAX;
  for (auto it = by_size.rbegin(); it != by_size.rend(); ++it) {
    if (it->second.second <= it->second.first) break;
    expected = it->first;
  }
  EXPECT_EQ(choice.streaming_min, expected);
}

// A plan is measured once and shared by its copies until forgotten (between rounds); then the next
// use measures it again, and the run keeps every choice.
TEST(RingCopy, APlanIsMeasuredAgainAfterItIsForgotten) {
  ipcbench::RingCopyPlan plan{ipcbench::PinCpus{}};
  const ipcbench::RingCopyPlan copy = plan;
  EXPECT_FALSE(plan.measured());
  plan.choice();
  copy.choice();
  EXPECT_EQ(plan.history().size(), 1u);
  plan.forget();
  copy.choice();
  ASSERT_EQ(plan.history().size(), 2u);
  EXPECT_EQ(plan.measured()->trials.size(), 6u);
}
