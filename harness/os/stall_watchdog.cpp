#include "os/stall_watchdog.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "base/channel_closed.hpp"
#include "base/system_error.hpp"

namespace ipcbench {
namespace {

// SIGALRM is unused by the mechanisms; real-time signals are left to the signal mechanism.
constexpr int kTickSignal = SIGALRM;
constexpr std::chrono::milliseconds kTick{100};

}  // namespace

// waitid and atomic loads only: this runs inside a signal handler.
bool StallWatchdog::any_watched_peer_failed() {
  for (int i = 0; i < kMaxWatched; ++i) {
    if (const pid_t pid = watched_pids_[i].load(std::memory_order_relaxed); pid > 0) {
      siginfo_t info{};
      if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == pid && !(info.si_code == CLD_EXITED && info.si_status == 0)) {
        return true;
      }
    }
    if (const auto* flag = watched_flags_[i].load(std::memory_order_relaxed);
        flag != nullptr && flag->load(std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

void StallWatchdog::on_tick(int) {
  const int saved_errno = errno;
  if (any_watched_peer_failed()) peer_failed_.store(true, std::memory_order_relaxed);
  errno = saved_errno;
  const auto now = progress_.load(std::memory_order_relaxed);
  if (now != seen_.load(std::memory_order_relaxed)) {
    seen_.store(now, std::memory_order_relaxed);
    idle_ticks_.store(0, std::memory_order_relaxed);
  } else if (idle_ticks_.fetch_add(1, std::memory_order_relaxed) + 1 >= limit_ticks_.load()) {
    expired_.store(true, std::memory_order_relaxed);
  }
}

void StallWatchdog::install_handler() {
  struct sigaction sa {};
  sa.sa_handler = &StallWatchdog::on_tick;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the blocked call must return EINTR so check_stall runs
  check_syscall(sigaction(kTickSignal, &sa, nullptr), "sigaction(SIGALRM)");
}

void StallWatchdog::interrupt(pthread_t thread) {
  install_handler();
  pthread_kill(thread, kTickSignal);
}

StallWatchdog::StallWatchdog(std::chrono::milliseconds timeout) {
  install_handler();

  seen_ = progress_.load();
  idle_ticks_ = 0;
  expired_ = false;
  peer_failed_ = false;
  abandoned_ = false;
  for (auto& p : watched_pids_) p = 0;
  for (auto& f : watched_flags_) f = nullptr;
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
  peer_failed_ = false;
  for (auto& p : watched_pids_) p = 0;
  for (auto& f : watched_flags_) f = nullptr;
}

void StallWatchdog::watch_process(pid_t pid) {
  for (auto& slot : watched_pids_) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
  throw std::logic_error("StallWatchdog: too many watched peers");
}

void StallWatchdog::watch_flag(const std::atomic<bool>* failed) {
  for (auto& slot : watched_flags_) {
    const std::atomic<bool>* empty = nullptr;
    if (slot.compare_exchange_strong(empty, failed)) return;
  }
  throw std::logic_error("StallWatchdog: too many watched peers");
}

void check_stall() {
  if (StallWatchdog::peer_failed_.load(std::memory_order_relaxed)) {
    throw ChannelClosed("a peer failed while we waited for it");
  }
  if (StallWatchdog::abandoned_.load(std::memory_order_relaxed)) {
    throw ChannelClosed("the other side gave up");
  }
  if (StallWatchdog::expired_.load(std::memory_order_relaxed)) {
    throw StallError("no message moved for " + std::to_string(StallWatchdog::timeout_ms_.load()) +
                     " ms (the peer is hung or stopped)");
  }
}

}  // namespace ipcbench
