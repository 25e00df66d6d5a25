// A POSIX shared-memory mapping for one channel: shm_open (0600, unpredictable name), mmap, and
// shm_unlink at once, so the mapping is shared by every peer forked afterwards while no name is
// left behind even if the whole run is killed.
#pragma once

#include <cstddef>
#include <new>
#include <string_view>

namespace ipcbench {

class SharedMemory {
 public:
  SharedMemory(std::size_t bytes, std::string_view tag);
  SharedMemory(SharedMemory&& other) noexcept;
  SharedMemory& operator=(SharedMemory&&) = delete;
  ~SharedMemory();

  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

// Bytes to reserve for an object in a shared layout, rounded up to whole cache lines so that
// neighbouring objects never share one.
inline constexpr std::size_t kCacheLine = 64;
constexpr std::size_t cache_lines(std::size_t bytes) {
  return (bytes + kCacheLine - 1) / kCacheLine * kCacheLine;
}

}  // namespace ipcbench
