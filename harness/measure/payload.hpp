// Message contents that prove what arrived: every message carries its sequence number and a
// checksum of its body, and the receiver checks both, so loss, reordering, duplication and
// corruption all fail loudly instead of showing up as a speed.
//
// Layout of a message of size >= kHeaderSize:
//   [0, 8)   sequence number, little-endian
//   [8, 16)  mix(seq ^ checksum(body))
//   [16, n)  body: one of kVariants random blocks, chosen by seq, so consecutive messages differ
// Messages shorter than the header have no room for one: their bytes are a hash of seq, and
// the receiver regenerates and compares them (for 1 B a lost message is caught within a few more).
//
// Timed messages (load/*) also carry when they were due and when they left, both covered by the
// check, in a 32-byte header:
//   [0, 8)   sequence number
//   [8, 16)  mix(seq ^ checksum(body) ^ mix(scheduled ^ mix(sent)))
//   [16, 24) scheduled send time, CLOCK_MONOTONIC ns
//   [24, 32) actual send time, CLOCK_MONOTONIC ns
//   [32, n)  body, as above
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ipcbench {

class PayloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Produces the message for a sequence number. Bodies are generated once in the constructor so
// producing a message in the timed loop writes only the 16-byte header.
class PayloadSource {
 public:
  static constexpr std::size_t kHeaderSize = 16;
  static constexpr std::size_t kTimedHeaderSize = 32;
  static constexpr std::size_t kVariants = 8;

  enum class Header { plain, timed };
  // Header::timed needs size >= kTimedHeaderSize (throws std::invalid_argument otherwise).
  explicit PayloadSource(std::size_t size, Header header = Header::plain);
  std::span<const std::byte> stamp(std::uint64_t seq);
  // A timed message; a few stores and two mixes, so it can be stamped at the moment of sending.
  std::span<const std::byte> stamp_timed(std::uint64_t seq, std::int64_t scheduled_ns,
                                         std::int64_t sent_ns);
  std::size_t size() const { return size_; }

 private:
  std::size_t size_;
  std::size_t header_;
  std::vector<std::vector<std::byte>> buffers_;
  std::vector<std::uint64_t> body_sums_;
};

// Throws PayloadError naming what is wrong when msg is not the message for expected_seq.
void verify_payload(std::span<const std::byte> msg, std::uint64_t expected_seq);

struct MessageTimes {
  std::int64_t scheduled_ns = 0;
  std::int64_t sent_ns = 0;
};
// The same for a timed message; returns the times it carries, once they are proven intact.
MessageTimes verify_timed_payload(std::span<const std::byte> msg, std::uint64_t expected_seq);

// The sequence number a message of at least kHeaderSize bytes claims to carry (not verified:
// verify_payload checks it against the checksum).
std::uint64_t claimed_sequence(std::span<const std::byte> msg);

// Fletcher-style checksum over 8-byte words in eight lanes (position-sensitive, so swapped words
// are caught; the lanes let it run at memory speed).
std::uint64_t payload_checksum(std::span<const std::byte> data);

}  // namespace ipcbench
