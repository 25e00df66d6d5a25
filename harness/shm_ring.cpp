#include "shm_ring.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace ipcbench {

std::size_t ring_capacity(std::size_t max_message) {
  return std::bit_ceil(std::max<std::size_t>(64 * 1024, 2 * max_message));
}

RingWriter::RingWriter(RingHeader* header, std::byte* data, std::size_t capacity)
    : h_(header), data_(data), capacity_(capacity) {}

void RingWriter::write(std::span<const std::byte> msg) {
  std::size_t done = 0;
  while (done < msg.size()) {
    const std::uint64_t head = h_->head.load(std::memory_order_relaxed);
    std::size_t free = capacity_ - (head - cached_tail_);
    if (free < msg.size() - done) {
      auto has_space = [&] {
        cached_tail_ = h_->tail.load(std::memory_order_acquire);
        return head - cached_tail_ < capacity_;
      };
      h_->space_ready.wait(has_space, h_->closed);
      free = capacity_ - (head - cached_tail_);
    }
    const std::size_t chunk = std::min(free, msg.size() - done);
    const std::size_t offset = head & (capacity_ - 1);
    const std::size_t first = std::min(chunk, capacity_ - offset);
    std::memcpy(data_ + offset, msg.data() + done, first);
    std::memcpy(data_, msg.data() + done + first, chunk - first);
    h_->head.store(head + chunk, std::memory_order_release);
    h_->data_ready.notify();
    done += chunk;
  }
}

void RingWriter::close() {
  h_->closed.store(1, std::memory_order_release);
  h_->data_ready.wake();
  h_->space_ready.wake();
}

RingReader::RingReader(RingHeader* header, const std::byte* data, std::size_t capacity)
    : h_(header), data_(data), capacity_(capacity) {}

void RingReader::read(std::span<std::byte> msg) {
  std::size_t done = 0;
  while (done < msg.size()) {
    const std::uint64_t tail = h_->tail.load(std::memory_order_relaxed);
    std::size_t avail = cached_head_ - tail;
    if (avail < msg.size() - done) {
      auto has_data = [&] {
        cached_head_ = h_->head.load(std::memory_order_acquire);
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
    h_->tail.store(tail + chunk, std::memory_order_release);
    h_->space_ready.notify();
    done += chunk;
  }
}

void RingReader::close() {
  h_->closed.store(1, std::memory_order_release);
  h_->data_ready.wake();
  h_->space_ready.wake();
}

}  // namespace ipcbench
