// How one side of a shared-memory channel waits for the other: spinning, a futex, a POSIX
// semaphore, or a brief spin then a futex. Waiters announce themselves (an event count), so a
// notifier makes a system call only when someone actually sleeps. Every wait also gives up when
// the channel is closed or the stall watchdog says stop, so no wait outlives its peer.
#pragma once

#include <semaphore.h>

#include <atomic>
#include <cstdint>

#include "base/channel_closed.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

enum class WaitKind { spin, futex, semaphore, adaptive };

// Lives in shared memory (placement-new'd by the channel). Lock-free atomics only, so it works
// between processes.
class SharedWaiter {
 public:
  SharedWaiter(WaitKind kind);
  ~SharedWaiter();
  SharedWaiter(const SharedWaiter&) = delete;
  SharedWaiter& operator=(const SharedWaiter&) = delete;

  // Returns once ready() holds. Throws ChannelClosed if closed is set while it does not.
  template <typename Ready>
  void wait(Ready ready, const std::atomic<std::uint32_t>& closed) {
    if (ready()) return;
    if (kind_ != WaitKind::futex && kind_ != WaitKind::semaphore && spin(ready, closed)) return;
    for (;;) {
      const std::uint32_t seen = epoch_.load(std::memory_order_acquire);
      waiters_.fetch_add(1, std::memory_order_seq_cst);
      // Re-checked after announcing: a notifier that published before it saw us is seen here.
      const bool done = ready();
      if (!done && !closed.load(std::memory_order_acquire)) sleep(seen);
      waiters_.fetch_sub(1, std::memory_order_relaxed);
      if (done || ready()) return;
      if (closed.load(std::memory_order_acquire))
        throw ChannelClosed("the peer closed the channel");
    }
  }

  // Call after publishing what a waiter waits for (a release store).
  void notify() {
    if (kind_ == WaitKind::spin) return;
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (waiters_.load(std::memory_order_relaxed) == 0) return;
    wake();
  }

  // Wakes every sleeper unconditionally: used on close.
  void wake();

 private:
  // Spins (pausing, and yielding now and then so a peer on the same CPU can run). For the
  // adaptive kind, only for a short budget: returns false to fall back to sleeping.
  template <typename Ready>
  bool spin(Ready ready, const std::atomic<std::uint32_t>& closed) {
    for (std::uint64_t i = 1;; ++i) {
      if (ready()) return true;
      pause();
      if (i % kSpinsPerCheck != 0) continue;
      if (closed.load(std::memory_order_acquire)) return ready();
      if (kind_ == WaitKind::adaptive && i >= kAdaptiveSpins) return false;
      yield_and_check();
    }
  }
  static void pause();
  static void yield_and_check();
  void sleep(std::uint32_t seen);

  static constexpr std::uint64_t kSpinsPerCheck = 1024;
  static constexpr std::uint64_t kAdaptiveSpins = 16 * kSpinsPerCheck;

  const WaitKind kind_;
  alignas(64) std::atomic<std::uint32_t> epoch_{0};  // the futex word
  std::atomic<std::uint32_t> waiters_{0};
  sem_t sem_{};
};

}  // namespace ipcbench
