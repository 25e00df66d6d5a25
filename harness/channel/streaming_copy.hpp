// A copy whose stores bypass the writer's cache (non-temporal stores), for handing a large
// buffer to a reader on another CPU. Falls back to memcpy where the CPU has no such stores.
#pragma once

#include <cstddef>

namespace ipcbench {

// From which chunk size a shared-memory writer streams, when nothing was measured on this machine
// (the measured choice: channel/ring_copy.hpp).
inline constexpr std::size_t kDefaultStreamingMin = 256 * 1024;

// Copies n bytes and fences, so the bytes are visible before any store that follows (such as
// a ring index published with release order).
void streaming_copy(std::byte* dst, const std::byte* src, std::size_t n);

}  // namespace ipcbench
