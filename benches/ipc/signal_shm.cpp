// signal+shm: message slots in shared memory, with real-time signals as the counting
// notifications: one signal number per counter, queued to the waiting thread with
// rt_tgsigqueueinfo (the thread-directed sigqueue) and taken with sigwaitinfo. The signals are
// blocked before any peer starts, so they are never delivered to a handler.
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <new>

#include "channel/slot_channel.hpp"
#include "os/shared_memory.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// Which side waits on counter c: 0 = full a->b (b), 1 = empty a->b (a), 2 = full b->a (a),
// 3 = empty b->a (b).
constexpr int kWaiter[4] = {1, 0, 0, 1};

int signal_of(int counter) { return SIGRTMIN + 4 + counter; }

struct Threads {  // in shared memory: where each side's waits happen
  std::atomic<pid_t> tgid[2]{}, tid[2]{};
};

class RtSignals : public Notifier {
 public:
  explicit RtSignals(const std::uint32_t initial[4]) : shm_(sizeof(Threads), "sig") {
    threads_ = new (shm_.data()) Threads;
    sigset_t all;
    sigemptyset(&all);
    for (int c = 0; c < 4; ++c) {
      credit_[c] = initial[c];
      sigaddset(&all, signal_of(c));
    }
    // Blocked here, in the thread that starts the peers, so they inherit the mask.
    check_syscall(-pthread_sigmask(SIG_BLOCK, &all, nullptr), "pthread_sigmask");
  }
  // Signals still queued to this thread (the closing posts) are taken so none is left pending.
  ~RtSignals() override {
    for (int c = 0; c < 4; ++c) {
      sigset_t one = set_of(c);
      timespec zero{};
      while (sigtimedwait(&one, nullptr, &zero) > 0) {
      }
    }
  }

  void attach(int side) override {
    threads_->tgid[side].store(getpid());
    threads_->tid[side].store(static_cast<pid_t>(syscall(SYS_gettid)), std::memory_order_release);
  }

  void post(int c) override {
    const int side = kWaiter[c];
    pid_t tid;
    while ((tid = threads_->tid[side].load(std::memory_order_acquire)) == 0) {
      sched_yield();  // the other side has not opened yet
      if (StallWatchdog::should_stop()) check_stall();
    }
    while (queue_signal(c, tid) < 0) {
      // The waiter has finished (e.g. took its last message and exited): nobody to wake. A peer
      // that died early is the watchdog's to report.
      if (errno == ESRCH) return;
      if (errno != EAGAIN && errno != EINTR) check_syscall(-1, "rt_tgsigqueueinfo");
      sched_yield();  // EAGAIN: the queue of pending signals is full
      check_stall();
    }
  }

  // A peer that never opened or has exited needs no wake-up.
  void post_for_close(int c) noexcept override {
    const int side = kWaiter[c];
    const pid_t tid = threads_->tid[side].load(std::memory_order_acquire);
    if (tid != 0) queue_signal(c, tid);
  }

  void wait(int c) override {
    if (credit_[c] > 0) {  // the initial free slots need no signal
      --credit_[c];
      return;
    }
    const sigset_t one = set_of(c);
    retry_interrupted([&] { return sigwaitinfo(&one, nullptr); }, "sigwaitinfo");
  }

 private:
  // Queues counter c's signal to the waiting side's thread (a thread-directed sigqueue).
  long queue_signal(int c, pid_t tid) const {
    siginfo_t info{};
    info.si_code = SI_QUEUE;
    info.si_pid = getpid();
    info.si_uid = getuid();
    return syscall(SYS_rt_tgsigqueueinfo, threads_->tgid[kWaiter[c]].load(), tid, signal_of(c),
                   &info);
  }
  static sigset_t set_of(int c) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, signal_of(c));
    return s;
  }
  SharedMemory shm_;
  Threads* threads_;
  std::uint32_t credit_[4];  // only counter c's one waiter touches credit_[c]
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM(
    slot_mechanism<RtSignals>("signal+shm",
                              "message slots in shared memory; real-time signals "
                              "(rt_tgsigqueueinfo, sigwaitinfo) count full and empty slots"));

}  // namespace ipcbench
