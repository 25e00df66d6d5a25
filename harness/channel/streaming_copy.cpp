#include "channel/streaming_copy.hpp"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ipcbench {
namespace {

#if defined(__x86_64__)
// Whole 64-byte lines per iteration, so each write-combining buffer fills completely.
__attribute__((target("avx2"))) std::size_t stream_avx2(std::byte* dst, const std::byte* src,
                                                        std::size_t n) {
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 32));
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i), lo);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i + 32), hi);
  }
  return i;
}

std::size_t stream_sse2(std::byte* dst, const std::byte* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm_stream_si128(reinterpret_cast<__m128i*>(dst + i), v);
  }
  return i;
}
#endif

}  // namespace

void streaming_copy(std::byte* dst, const std::byte* src, std::size_t n) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  std::size_t done = 0;
  if (avx2 && reinterpret_cast<std::uintptr_t>(dst) % 32 == 0) {
    done = stream_avx2(dst, src, n);
  } else if (reinterpret_cast<std::uintptr_t>(dst) % 16 == 0) {
    done = stream_sse2(dst, src, n);
  }
  std::memcpy(dst + done, src + done, n - done);
  // Streaming stores are weakly ordered even on x86: without the fence a reader could see the
  // index that publishes them before the bytes themselves.
  _mm_sfence();
#else
  std::memcpy(dst, src, n);
#endif
}

}  // namespace ipcbench
