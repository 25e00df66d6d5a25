#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "measure/payload.hpp"

using namespace ipcbench;

namespace {

std::vector<std::byte> copy_of(std::span<const std::byte> s) { return {s.begin(), s.end()}; }

const std::size_t kPayloadSizes[] = {1, 2, 7, 8, 15, 16, 17, 64, 1000, 4096, 65536, 1 << 20};

}  // namespace

TEST(Payload, EveryMessageVerifiesAtItsOwnSequenceNumber) {
  for (std::size_t size : kPayloadSizes) {
    PayloadSource src(size);
    for (std::uint64_t seq = 0; seq < 20; ++seq) {
      const auto msg = copy_of(src.stamp(seq));
      ASSERT_EQ(msg.size(), size);
      EXPECT_NO_THROW(verify_payload(msg, seq)) << "size " << size << " seq " << seq;
    }
  }
}

TEST(Payload, FlippedByteAnywhereIsCaught) {
  for (std::size_t size : kPayloadSizes) {
    PayloadSource src(size);
    const auto good = copy_of(src.stamp(42));
    for (std::size_t pos : {std::size_t{0}, size / 2, size - 1}) {
      for (int bit = 0; bit < 8; ++bit) {
        auto bad = good;
        bad[pos] ^= std::byte{static_cast<unsigned char>(1u << bit)};
        EXPECT_THROW(verify_payload(bad, 42), PayloadError)
            << "size " << size << " pos " << pos << " bit " << bit;
      }
    }
  }
}

TEST(Payload, SwappedWordsAreCaught) {
  // Word pairs in the same checksum lane of different 64-byte blocks, in different lanes of one
  // block, and in the tail after the last whole block.
  const std::size_t size = 4096 + 40;
  PayloadSource src(size);
  const auto good = copy_of(src.stamp(7));
  const std::pair<std::size_t, std::size_t> pairs[] = {
      {16, 16 + 64}, {24, 32}, {16, 4096 - 8}, {4096 + 16, 4096 + 24}, {4096 + 8, 16}};
  for (auto [a, b] : pairs) {
    auto bad = good;
    std::swap_ranges(bad.begin() + a, bad.begin() + a + 8, bad.begin() + b);
    ASSERT_NE(bad, good) << a << " <-> " << b;
    EXPECT_THROW(verify_payload(bad, 7), PayloadError) << a << " <-> " << b;
  }
}

TEST(Payload, DroppedMessageIsCaught) {
  for (std::size_t size : kPayloadSizes) {
    if (size < 4)
      continue;  // a 1-3 byte message is caught within a few messages, not always at once
    PayloadSource src(size);
    // The receiver expects message 5 but message 6 arrives: 5 was lost.
    EXPECT_THROW(verify_payload(copy_of(src.stamp(6)), 5), PayloadError) << size;
  }
}

TEST(Payload, ReorderedAndDuplicatedMessagesAreCaught) {
  PayloadSource src(64);
  const auto m3 = copy_of(src.stamp(3));
  const auto m4 = copy_of(src.stamp(4));
  EXPECT_NO_THROW(verify_payload(m3, 3));
  EXPECT_THROW(verify_payload(m3, 4), PayloadError);  // duplicate of 3
  EXPECT_THROW(verify_payload(m4, 3), PayloadError);  // 4 overtook 3
  try {
    verify_payload(m3, 4);
  } catch (const PayloadError& e) {
    EXPECT_NE(std::string(e.what()).find("duplicated or reordered"), std::string::npos) << e.what();
  }
}

TEST(Payload, BodyFromAnotherMessageIsCaught) {
  // A stale body under a fresh header (a ring slot not rewritten) must fail the checksum.
  PayloadSource src(4096);
  auto fresh = copy_of(src.stamp(9));
  const auto stale = copy_of(src.stamp(8));
  std::copy(stale.begin() + PayloadSource::kHeaderSize, stale.end(),
            fresh.begin() + PayloadSource::kHeaderSize);
  EXPECT_THROW(verify_payload(fresh, 9), PayloadError);
}

TEST(Payload, ShortMessagesCatchALossWithinAFewMessages) {
  PayloadSource src(1);
  int caught = 0;
  // Stream 0..99 with message 10 lost: the receiver is off by one from then on.
  for (std::uint64_t expected = 10, sent = 11; sent < 100; ++expected, ++sent) {
    try {
      verify_payload(copy_of(src.stamp(sent)), expected);
    } catch (const PayloadError&) {
      ++caught;
    }
  }
  EXPECT_GT(caught, 80);
}

TEST(Payload, ZeroSizeIsRejected) { EXPECT_THROW(PayloadSource(0), std::invalid_argument); }
