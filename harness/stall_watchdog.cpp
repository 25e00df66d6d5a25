#include "stall_watchdog.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "system_error.hpp"

namespace ipcbench {
namespace {

// SIGALRM is unused by the mechanisms; real-time signals are left to the signal transport.
constexpr int kTickSignal = SIGALRM;
constexpr std::chrono::milliseconds kTick{100};

}  // namespace

void StallWatchdog::on_tick(int) {
  const auto now = progress_.load(std::memory_order_relaxed);
  if (now != seen_.load(std::memory_order_relaxed)) {
    seen_.store(now, std::memory_order_relaxed);
    idle_ticks_.store(0, std::memory_order_relaxed);
  } else if (idle_ticks_.fetch_add(1, std::memory_order_relaxed) + 1 >= limit_ticks_.load()) {
    expired_.store(true, std::memory_order_relaxed);
  }
}

StallWatchdog::StallWatchdog(std::chrono::milliseconds timeout) {
  struct sigaction sa {};
  sa.sa_handler = &StallWatchdog::on_tick;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the blocked call must return EINTR so check_stall runs
  check_syscall(sigaction(kTickSignal, &sa, nullptr), "sigaction(SIGALRM)");

  seen_ = progress_.load();
  idle_ticks_ = 0;
  expired_ = false;
  timeout_ms_ = static_cast<long>(timeout.count());
  limit_ticks_ = static_cast<int>(std::max<long>(1, timeout / kTick));

  sigevent sev{};
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = kTickSignal;
  sev._sigev_un._tid = static_cast<pid_t>(syscall(SYS_gettid));
  check_syscall(timer_create(CLOCK_MONOTONIC, &sev, &timer_), "timer_create");
  itimerspec spec{};
  spec.it_interval.tv_nsec = std::chrono::nanoseconds(kTick).count();
  spec.it_value = spec.it_interval;
  check_syscall(timer_settime(timer_, 0, &spec, nullptr), "timer_settime");
}

StallWatchdog::~StallWatchdog() {
  timer_delete(timer_);
  expired_ = false;
}

void check_stall() {
  if (StallWatchdog::expired_.load(std::memory_order_relaxed)) {
    throw StallError("no message moved for " + std::to_string(StallWatchdog::timeout_ms_.load()) +
                     " ms (the peer is hung or stopped)");
  }
}

}  // namespace ipcbench
