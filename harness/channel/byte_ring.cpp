#include "channel/byte_ring.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <string>

#include "channel/streaming_copy.hpp"

namespace ipcbench {

std::size_t ring_capacity(std::size_t max_message) {
  return std::bit_ceil(std::max<std::size_t>(64 * 1024, 4 * max_message));
}

namespace {

// Large chunks bypass the writer's cache: the reader is usually on another CPU, and fetching each
// dirty line from this CPU's cache is slower than reading it from memory (docs/mechanisms.md gives
// the figures, several times faster at 1 MiB on the 2-vCPU KVM guest). Where streaming
// starts is measured on each machine (ring_copy.hpp) and passed in as streaming_min. It is
// judged by the message's size, not the chunk's: a large message that streams in whatever
// pieces the free space allows must not fall back to ordinary stores for the small ones.
void copy_in(std::byte* dst, const std::byte* src, std::size_t n, bool streaming) {
  if (streaming) {
    streaming_copy(dst, src, n);
  } else {
    std::memcpy(dst, src, n);
  }
}

}  // namespace

RingHeader::RingHeader(WaitKind kind, int readers_, std::size_t streaming_min_)
    : readers(readers_), streaming_min(streaming_min_), data_ready(kind), space_ready(kind) {
  if (readers < 1 || readers > kMaxRingReaders) {
    throw std::invalid_argument("a ring has 1 to " + std::to_string(kMaxRingReaders) +
                                " readers, not " + std::to_string(readers));
  }
}

RingWriter::RingWriter(RingHeader* header, std::byte* data, std::size_t capacity)
    : h_(header),
      data_(data),
      capacity_(capacity),
      head_(header->head.value.load(std::memory_order_relaxed)),
      cached_tail_(slowest_tail()) {}

std::uint64_t RingWriter::slowest_tail() const {
  std::uint64_t slowest = h_->tails[0].value.load(std::memory_order_acquire);
  for (int i = 1; i < h_->readers; ++i) {
    slowest = std::min(slowest, h_->tails[i].value.load(std::memory_order_acquire));
  }
  return slowest;
}

// The writer never loads the shared head, though it is the only one to store it: the reader
// spins on that line, and loading it back (probably because AMD hands a line that was read then
// written over exclusively to its reader) put one more cross-CPU transfer into every message: the
// 64 B round trip between two CPUs took about half as long again with the load
// (docs/mechanisms.md).

void RingWriter::write(std::span<const std::byte> msg) {
  const bool streaming = msg.size() >= h_->streaming_min;
  std::size_t done = 0;
  while (done < msg.size()) {
    const std::uint64_t head = head_;
    std::size_t free = capacity_ - (head - cached_tail_);
    if (free < msg.size() - done) {
      auto has_space = [&] {
        cached_tail_ = slowest_tail();
        return head - cached_tail_ < capacity_;
      };
      h_->space_ready.wait(has_space, h_->closed);
      free = capacity_ - (head - cached_tail_);
    }
    const std::size_t chunk = std::min(free, msg.size() - done);
    const std::size_t offset = head & (capacity_ - 1);
    const std::size_t first = std::min(chunk, capacity_ - offset);
    copy_in(data_ + offset, msg.data() + done, first, streaming);
    copy_in(data_, msg.data() + done + first, chunk - first, streaming);
    head_ = head + chunk;
    h_->head.value.store(head_, std::memory_order_release);
    h_->data_ready.notify();
    done += chunk;
  }
}

void RingWriter::close() {
  h_->closed.store(1, std::memory_order_release);
  h_->data_ready.wake();
  h_->space_ready.wake();
}

RingReader::RingReader(RingHeader* header, const std::byte* data, std::size_t capacity, int index)
    : h_(header),
      shared_tail_(header->tails[index].value),
      data_(data),
      capacity_(capacity),
      tail_(shared_tail_.load(std::memory_order_relaxed)),
      cached_head_(header->head.value.load(std::memory_order_acquire)) {
  if (index < 0 || index >= header->readers) throw std::invalid_argument("no such ring reader");
}

void RingReader::read(std::span<std::byte> msg) {
  release_view();
  std::size_t done = 0;
  while (done < msg.size()) {
    const std::uint64_t tail = tail_;
    std::size_t avail = cached_head_ - tail;
    if (avail < msg.size() - done) {
      auto has_data = [&] {
        cached_head_ = h_->head.value.load(std::memory_order_acquire);
        return cached_head_ != tail;
      };
      h_->data_ready.wait(has_data, h_->closed);
      avail = cached_head_ - tail;
    }
    const std::size_t chunk = std::min(avail, msg.size() - done);
    const std::size_t offset = tail & (capacity_ - 1);
    const std::size_t first = std::min(chunk, capacity_ - offset);
    std::memcpy(msg.data() + done, data_ + offset, first);
    std::memcpy(msg.data() + done + first, data_, chunk - first);
    tail_ = tail + chunk;
    shared_tail_.store(tail_, std::memory_order_release);
    h_->space_ready.notify();
    done += chunk;
  }
}

std::span<const std::byte> RingReader::read_view(std::span<std::byte> scratch) {
  release_view();
  const std::size_t size = scratch.size();
  const std::uint64_t tail = tail_;
  const std::size_t offset = tail & (capacity_ - 1);
  // ring_capacity() leaves room for four messages, so a whole one always fits while the writer
  // fills the rest; only a message that wraps round the end must be copied out.
  if (offset + size > capacity_ || size > capacity_ / 2) {
    read(scratch);
    return scratch;
  }
  if (cached_head_ - tail < size) {
    auto has_all = [&] {
      cached_head_ = h_->head.value.load(std::memory_order_acquire);
      return cached_head_ - tail >= size;
    };
    h_->data_ready.wait(has_all, h_->closed);
  }
  held_ = size;
  return {data_ + offset, size};
}

void RingReader::release_view() {
  if (held_ == 0) return;
  tail_ += held_;
  shared_tail_.store(tail_, std::memory_order_release);
  held_ = 0;
  h_->space_ready.notify();
}

void RingReader::close() {
  h_->closed.store(1, std::memory_order_release);
  h_->data_ready.wake();
  h_->space_ready.wake();
}

}  // namespace ipcbench
