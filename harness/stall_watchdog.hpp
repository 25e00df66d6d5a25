// Bounded waiting without a syscall per message: while a StallWatchdog lives, a timer interrupts
// the owning thread's blocking calls every tick, and once `progress()` has not been called for
// the timeout, the interrupted call's retry loop (check_stall) throws StallError.
#pragma once

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <stdexcept>

#include "system_error.hpp"

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

 private:
  friend void check_stall();
  static void on_tick(int);
  static inline std::atomic<std::uint64_t> progress_{0};
  static inline std::atomic<std::uint64_t> seen_{0};
  static inline std::atomic<int> idle_ticks_{0};
  static inline std::atomic<int> limit_ticks_{0};
  static inline std::atomic<bool> expired_{false};
  static inline std::atomic<long> timeout_ms_{0};
  timer_t timer_{};
};

// Call when a blocking call returned EINTR: throws StallError if the watchdog expired.
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
