// A single-producer byte ring in shared memory (cache-line separated indices, cached copies of the
// other side's index, as in rigtorp's SPSCQueue), used as a channel with a pluggable way to wait.
// One reader, or several that each read every byte (a broadcast: the writer waits for the
// slowest). Messages larger than the ring stream through it in chunks.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "channel/streaming_copy.hpp"
#include "channel/wait_strategy.hpp"
#include "os/shared_memory.hpp"

namespace ipcbench {

inline constexpr int kMaxRingReaders = 8;

// An index on a cache line of its own: each is written by one side only.
struct alignas(kCacheLine) RingIndex {
  std::atomic<std::uint64_t> value{0};
};

// The shared part of one ring: placement-new'd at the start of its region.
struct RingHeader {
  // Throws std::invalid_argument unless 1 <= readers <= kMaxRingReaders. Chunks of
  // streaming_min bytes or more are written with cache-bypassing stores (see ring_copy.hpp).
  RingHeader(WaitKind kind, int readers = 1, std::size_t streaming_min = kDefaultStreamingMin);
  RingIndex head;                    // bytes published by the producer
  RingIndex tails[kMaxRingReaders];  // bytes taken by each reader
  const int readers;
  const std::size_t streaming_min;
  alignas(kCacheLine) std::atomic<std::uint32_t> closed{0};
  SharedWaiter data_ready;   // the consumer sleeps here
  SharedWaiter space_ready;  // the producer sleeps here
};

// One process's view of a ring: its own cached copy of the other side's index.
class RingWriter {
 public:
  RingWriter(RingHeader* header, std::byte* data, std::size_t capacity);
  void write(std::span<const std::byte> msg);
  void close();

 private:
  // The slowest reader's index, read afresh (only when the cached one says the ring is full).
  std::uint64_t slowest_tail() const;

  RingHeader* h_;
  std::byte* data_;
  std::size_t capacity_;
  std::uint64_t head_;  // our own index: the shared copy is only ever stored, see write()
  std::uint64_t cached_tail_ = 0;
};

class RingReader {
 public:
  // `index` picks this reader's tail (0 for the only reader of a pair's ring).
  RingReader(RingHeader* header, const std::byte* data, std::size_t capacity, int index = 0);
  void read(std::span<std::byte> msg);
  // The next scratch.size() bytes in place when they lie contiguous in the ring (copied into
  // scratch when they wrap). The ring keeps them until the next read or read_view.
  std::span<const std::byte> read_view(std::span<std::byte> scratch);
  void close();

 private:
  void release_view();

  RingHeader* h_;
  std::atomic<std::uint64_t>& shared_tail_;
  const std::byte* data_;
  std::size_t capacity_;
  std::uint64_t tail_;  // our own index: the shared copy is only ever stored
  std::uint64_t cached_head_ = 0;
  std::size_t held_ = 0;  // bytes handed out by read_view and not yet given back
};

// A ring's capacity for messages up to max_message: a power of two holding at least four of them
// (with two, at 64 KiB the writer waited for the reader: 0.78-0.82 of floor/stream, 0.97-1.04 with
// four).
std::size_t ring_capacity(std::size_t max_message);

}  // namespace ipcbench
