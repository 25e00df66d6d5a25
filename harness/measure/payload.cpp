#include "measure/payload.hpp"

#include <algorithm>
#include <cstring>
#include <random>

namespace ipcbench {
namespace {

// splitmix64's finalizer: a bijection, so distinct sequence numbers give distinct hashes.
std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t load64(const std::byte* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void store64(std::byte* p, std::uint64_t v) { std::memcpy(p, &v, sizeof v); }

// The bytes of a message too short for a header: seq's hash, then the next hash, truncated.
void fill_short(std::span<std::byte> out, std::uint64_t seq) {
  std::uint64_t words[2] = {mix64(seq), mix64(seq ^ 0x5555555555555555ULL)};
  std::memcpy(out.data(), words, out.size());
}

std::string seq_mismatch(std::uint64_t expected, std::uint64_t got) {
  const char* what = got < expected ? "an old message arrived again (duplicated or reordered)"
                                    : "messages were lost or reordered";
  return "message " + std::to_string(expected) + ": got sequence number " + std::to_string(got) +
         ": " + what;
}

}  // namespace

std::uint64_t claimed_sequence(std::span<const std::byte> msg) {
  if (msg.size() < PayloadSource::kHeaderSize) {
    throw std::logic_error("claimed_sequence: a message shorter than the header has none");
  }
  return load64(msg.data());
}

std::uint64_t payload_checksum(std::span<const std::byte> data) {
  // Eight independent Fletcher lanes, one per word of a 64-byte block: the compiler vectorizes
  // them, so verifying runs at about memory speed instead of one dependent add per word, which
  // had made the check, not the mechanism, the limit of shared-memory throughput.
  constexpr std::size_t kLanes = 8;
  std::uint64_t s1[kLanes] = {}, s2[kLanes] = {};
  const std::byte* p = data.data();
  std::size_t i = 0;
  for (; i + kLanes * 8 <= data.size(); i += kLanes * 8) {
    for (std::size_t k = 0; k < kLanes; ++k) {
      s1[k] += load64(p + i + 8 * k);
      s2[k] += s1[k];
    }
  }
  std::uint64_t t1 = 0, t2 = 0;
  for (; i + 8 <= data.size(); i += 8) {
    t1 += load64(p + i);
    t2 += t1;
  }
  for (; i < data.size(); ++i) {
    t1 += std::to_integer<std::uint64_t>(p[i]) + 1;
    t2 += t1;
  }
  // Mixed, not just combined: a linear combination lets the same bit flip in two sums cancel,
  // and chaining the lanes in order makes words swapped between lanes change the result.
  std::uint64_t h = mix64(t1 ^ mix64(t2));
  for (std::size_t k = 0; k < kLanes; ++k) h = mix64(h ^ s1[k]) ^ mix64(s2[k] + k);
  return h;
}

PayloadSource::PayloadSource(std::size_t size, Header header)
    : size_(size), header_(header == Header::timed ? kTimedHeaderSize : kHeaderSize) {
  if (size == 0) throw std::invalid_argument("message size must be at least 1 byte");
  if (header == Header::timed && size < kTimedHeaderSize) {
    throw std::invalid_argument("a timed message needs at least 32 bytes");
  }
  std::mt19937_64 rng(0x1bcb3e4cULL ^ size);
  const std::size_t variants = size < kHeaderSize ? 1 : kVariants;
  for (std::size_t v = 0; v < variants; ++v) {
    std::vector<std::byte> buf(size);
    for (std::size_t i = header_; i < size; i += 8) {
      const std::uint64_t word = rng();
      std::memcpy(buf.data() + i, &word, std::min<std::size_t>(8, size - i));
    }
    if (size >= kHeaderSize) {
      body_sums_.push_back(payload_checksum(std::span(buf).subspan(header_)));
    }
    buffers_.push_back(std::move(buf));
  }
}

std::span<const std::byte> PayloadSource::stamp(std::uint64_t seq) {
  if (size_ < kHeaderSize) {
    fill_short(buffers_[0], seq);
    return buffers_[0];
  }
  const std::size_t v = seq % kVariants;
  std::byte* p = buffers_[v].data();
  store64(p, seq);
  store64(p + 8, mix64(seq ^ body_sums_[v]));
  return buffers_[v];
}

std::span<const std::byte> PayloadSource::stamp_timed(std::uint64_t seq, std::int64_t scheduled_ns,
                                                      std::int64_t sent_ns) {
  const std::size_t v = seq % kVariants;
  std::byte* p = buffers_[v].data();
  const auto scheduled = static_cast<std::uint64_t>(scheduled_ns);
  const auto sent = static_cast<std::uint64_t>(sent_ns);
  store64(p, seq);
  store64(p + 8, mix64(seq ^ body_sums_[v] ^ mix64(scheduled ^ mix64(sent))));
  store64(p + 16, scheduled);
  store64(p + 24, sent);
  return buffers_[v];
}

MessageTimes verify_timed_payload(std::span<const std::byte> msg, std::uint64_t expected_seq) {
  if (msg.size() < PayloadSource::kTimedHeaderSize) {
    throw PayloadError("a timed message of " + std::to_string(msg.size()) +
                       " B is shorter than its 32-byte header");
  }
  const std::uint64_t seq = load64(msg.data());
  if (seq != expected_seq) throw PayloadError(seq_mismatch(expected_seq, seq));
  const std::uint64_t scheduled = load64(msg.data() + 16), sent = load64(msg.data() + 24);
  const std::uint64_t sum = payload_checksum(msg.subspan(PayloadSource::kTimedHeaderSize));
  if (load64(msg.data() + 8) != mix64(seq ^ sum ^ mix64(scheduled ^ mix64(sent)))) {
    throw PayloadError("message " + std::to_string(seq) + " (" + std::to_string(msg.size()) +
                       " B): checksum mismatch: the data or its times were corrupted in transit");
  }
  return {static_cast<std::int64_t>(scheduled), static_cast<std::int64_t>(sent)};
}

void verify_payload(std::span<const std::byte> msg, std::uint64_t expected_seq) {
  if (msg.size() < PayloadSource::kHeaderSize) {
    std::byte want[PayloadSource::kHeaderSize];
    fill_short(std::span(want, msg.size()), expected_seq);
    if (std::memcmp(want, msg.data(), msg.size()) != 0) {
      throw PayloadError("message " + std::to_string(expected_seq) + " (" +
                         std::to_string(msg.size()) +
                         " B): content differs from what was sent (lost, reordered or corrupted)");
    }
    return;
  }
  const std::uint64_t seq = load64(msg.data());
  if (seq != expected_seq) throw PayloadError(seq_mismatch(expected_seq, seq));
  const std::uint64_t sum = payload_checksum(msg.subspan(PayloadSource::kHeaderSize));
  if (load64(msg.data() + 8) != mix64(seq ^ sum)) {
    throw PayloadError("message " + std::to_string(seq) + " (" + std::to_string(msg.size()) +
                       " B): checksum mismatch: the data was corrupted in transit");
  }
}

}  // namespace ipcbench
