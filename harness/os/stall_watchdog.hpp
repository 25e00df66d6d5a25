// Bounded waiting without a syscall per message: while a StallWatchdog lives, a timer interrupts
// the owning thread's blocking calls every tick, and once `progress()` has not been called for
// the timeout, the interrupted call's retry loop (check_stall) throws StallError.
#pragma once

#include <pthread.h>
#include <sys/types.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <stdexcept>

#include "base/system_error.hpp"

namespace ipcbench {

class StallError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StallWatchdog {
 public:
  explicit StallWatchdog(std::chrono::milliseconds timeout);
  ~StallWatchdog();
  StallWatchdog(const StallWatchdog&) = delete;
  StallWatchdog& operator=(const StallWatchdog&) = delete;

  // One relaxed store: cheap enough for every iteration of a timed loop.
  static void progress() {
    progress_.store(progress_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  // Also end waits early when a peer fails (a process that exits non-zero or is killed, a thread
  // whose flag is set): a dead peer is then noticed within one tick, not one timeout. A peer that
  // ends normally is not a failure: in fan-in the others may still be sending.
  void watch_process(pid_t pid);
  void watch_flag(const std::atomic<bool>* failed);

  // For waits that never block in the kernel (spinning on shared memory): poll this now and then.
  static bool should_stop() {
    return expired_.load(std::memory_order_relaxed) ||
           peer_failed_.load(std::memory_order_relaxed) ||
           abandoned_.load(std::memory_order_relaxed);
  }

  // The benchmark's own side failed: every wait in this process (a thread peer's, interrupted
  // by Peer::join) now ends with ChannelClosed instead of waiting for a message that will not
  // come. Cleared by end_abandon once those peers are joined, so that the peers of the next
  // benchmark (forked before its watchdog starts) do not inherit it, and when a watchdog starts.
  static void abandon_waits() { abandoned_.store(true); }
  static void end_abandon() { abandoned_.store(false); }
  // Interrupts one thread's blocking call (EINTR), so it looks at abandon_waits.
  static void interrupt(pthread_t thread);

 private:
  friend void check_stall();
  static void on_tick(int);
  static void install_handler();
  static inline std::atomic<std::uint64_t> progress_{0};
  static inline std::atomic<std::uint64_t> seen_{0};
  static inline std::atomic<int> idle_ticks_{0};
  static inline std::atomic<int> limit_ticks_{0};
  static inline std::atomic<bool> expired_{false};
  static inline std::atomic<long> timeout_ms_{0};
  static inline std::atomic<bool> peer_failed_{false};
  static inline std::atomic<bool> abandoned_{false};
  static constexpr int kMaxWatched = 16;
  static inline std::atomic<pid_t> watched_pids_[kMaxWatched]{};
  static inline std::atomic<const std::atomic<bool>*> watched_flags_[kMaxWatched]{};
  static bool any_watched_peer_failed();
  timer_t timer_{};
};

// Call when a blocking call returned EINTR: throws StallError if the watchdog expired, and
// ChannelClosed if a watched peer failed (its own error is then the cause worth reporting).
void check_stall();

// Repeats a blocking call (open of a FIFO, connect, accept) while it is interrupted, giving the
// watchdog its chance each time; any other failure throws, naming `what` and errno.
template <typename Call>
auto retry_interrupted(Call call, const char* what) {
  for (;;) {
    const auto result = call();
    if (result >= 0) return result;
    if (errno != EINTR) check_syscall(result, what);
    check_stall();
  }
}

}  // namespace ipcbench
