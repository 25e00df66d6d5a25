#include "channel/wait_strategy.hpp"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "base/system_error.hpp"

namespace ipcbench {
namespace {

// Not FUTEX_PRIVATE_FLAG: the word lives in memory shared between processes.
long futex(std::atomic<std::uint32_t>* word, int op, std::uint32_t value) {
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), op, value, nullptr, nullptr, 0);
}

}  // namespace

SharedWaiter::SharedWaiter(WaitKind kind) : kind_(kind) {
  static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
  if (kind_ == WaitKind::semaphore) check_syscall(sem_init(&sem_, 1, 0), "sem_init");
}

SharedWaiter::~SharedWaiter() {
  if (kind_ == WaitKind::semaphore) sem_destroy(&sem_);
}

void SharedWaiter::pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

void SharedWaiter::yield_and_check() {
  sched_yield();
  if (StallWatchdog::should_stop()) check_stall();
}

void SharedWaiter::sleep(std::uint32_t seen) {
  if (kind_ == WaitKind::semaphore) {
    if (sem_wait(&sem_) < 0) {
      if (errno != EINTR) check_syscall(-1, "sem_wait");
      check_stall();
    }
    return;
  }
  if (futex(&epoch_, FUTEX_WAIT, seen) < 0) {
    if (errno == EINTR)
      check_stall();
    else if (errno != EAGAIN)
      check_syscall(-1, "futex(FUTEX_WAIT)");
  }
}

void SharedWaiter::wake() {
  if (kind_ == WaitKind::semaphore) {
    check_syscall(sem_post(&sem_), "sem_post");
    return;
  }
  epoch_.fetch_add(1, std::memory_order_release);
  if (kind_ != WaitKind::spin) futex(&epoch_, FUTEX_WAKE, INT_MAX);
}

}  // namespace ipcbench
