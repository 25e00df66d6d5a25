// sync/*: what synchronisation costs. sync/lock/*: n workers each take and release one lock K
// times around a shared counter (n = 1 is uncontended), for std::mutex (threads), a
// process-shared pthread mutex, a spinlock and a POSIX semaphore used as a lock; the counter must
// end at n * K. sync/signal/*: two workers hand a turn back and forth with a condition variable
// (the course's Event) or a pair of POSIX semaphores. Everything lives in shared memory, so the
// same code serves thread and process workers.
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "base/clock.hpp"
#include "base/system_error.hpp"
#include "bench/families.hpp"
#include "bench/workload_guard.hpp"
#include "measure/counters.hpp"
#include "os/peer.hpp"
#include "os/shared_memory.hpp"

namespace ipcbench {
namespace {

constexpr int kMaxWorkers = 64;

// One kind of lock, placement-constructed in shared memory.
struct LockKind {
  const char* name;
  bool processes;  // usable between processes
  void (*init)(void*);
  void (*lock)(void*);
  void (*unlock)(void*);
  void (*destroy)(void*);
};

void pshared_mutex_init(void* p) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  check_errno_result(pthread_mutex_init(static_cast<pthread_mutex_t*>(p), &attr),
                     "pthread_mutex_init");
  pthread_mutexattr_destroy(&attr);
}

void spin_lock(void* p) {
  auto* flag = static_cast<std::atomic<bool>*>(p);
  while (flag->exchange(true, std::memory_order_acquire)) {
    while (flag->load(std::memory_order_relaxed)) __builtin_ia32_pause();
  }
}

const LockKind kLocks[] = {
    {"std_mutex", false, [](void* p) { new (p) std::mutex; },
     [](void* p) { static_cast<std::mutex*>(p)->lock(); },
     [](void* p) { static_cast<std::mutex*>(p)->unlock(); },
     [](void* p) { static_cast<std::mutex*>(p)->~mutex(); }},
    {"pshared_mutex", true, pshared_mutex_init,
     [](void* p) { pthread_mutex_lock(static_cast<pthread_mutex_t*>(p)); },
     [](void* p) { pthread_mutex_unlock(static_cast<pthread_mutex_t*>(p)); },
     [](void* p) { pthread_mutex_destroy(static_cast<pthread_mutex_t*>(p)); }},
    {"spinlock", true, [](void* p) { new (p) std::atomic<bool>(false); }, spin_lock,
     [](void* p) { static_cast<std::atomic<bool>*>(p)->store(false, std::memory_order_release); },
     [](void*) {}},
    {"posix_sem", true,
     [](void* p) { check_syscall(sem_init(static_cast<sem_t*>(p), 1, 1), "sem_init"); },
     [](void* p) {
       while (sem_wait(static_cast<sem_t*>(p)) < 0 && errno == EINTR) {
       }
     },
     [](void* p) { sem_post(static_cast<sem_t*>(p)); },
     [](void* p) { sem_destroy(static_cast<sem_t*>(p)); }},
};

// The shared block of one lock run: a start gate, the lock, the counter it guards, and when
// each worker finished.
struct LockArena {
  alignas(kCacheLine) std::atomic<int> ready{0};
  alignas(kCacheLine) std::atomic<int> go{0};
  alignas(kCacheLine) unsigned char lock[64];
  alignas(kCacheLine) std::uint64_t counter = 0;
  alignas(kCacheLine) std::atomic<std::int64_t> end_ns[kMaxWorkers];
};

PeerReport lock_worker(LockArena& a, const LockKind& kind, int index, std::uint64_t ops) {
  a.ready.fetch_add(1);
  while (a.go.load(std::memory_order_acquire) == 0) __builtin_ia32_pause();
  for (std::uint64_t i = 0; i < ops; ++i) {
    kind.lock(a.lock);
    ++a.counter;
    kind.unlock(a.lock);
  }
  a.end_ns[index].store(monotonic_ns());
  return {.messages = ops};
}

// One contended run: starts n workers, opens the gate once all are waiting, joins them.
// Returns the time from the gate to the last worker's end.
std::int64_t lock_run(const LockKind& kind, PeerKind peers, int n, std::uint64_t ops,
                      std::chrono::milliseconds timeout) {
  SharedMemory shm(sizeof(LockArena), "sync");
  auto* a = new (shm.data()) LockArena;
  kind.init(a->lock);
  std::vector<Peer> workers;
  // Declared after the workers, so it runs first: if starting one fails, the others are let go
  // (and finish) instead of waiting at the gate forever.
  struct OpenGate {
    LockArena* a;
    ~OpenGate() { a->go.store(1, std::memory_order_release); }
  } gate{a};
  for (int i = 0; i < n; ++i) {
    workers.push_back(Peer::start(peers, std::nullopt,
                                  [a, &kind, i, ops] { return lock_worker(*a, kind, i, ops); }));
  }
  while (a->ready.load() < n) std::this_thread::yield();
  const std::int64_t start = monotonic_ns();
  a->go.store(1, std::memory_order_release);
  std::int64_t end = start;
  for (int i = 0; i < n; ++i) {
    workers[static_cast<std::size_t>(i)].join(timeout * 10);
    end = std::max(end, a->end_ns[i].load());
  }
  const std::uint64_t total = a->counter;
  kind.destroy(a->lock);
  if (total != ops * static_cast<std::uint64_t>(n)) {
    throw std::runtime_error(std::string(kind.name) + " let updates through unguarded: counter " +
                             std::to_string(total) + ", expected " +
                             std::to_string(ops * static_cast<std::uint64_t>(n)));
  }
  return end - start;
}

void measure_lock(benchmark::State& state, const LockKind& kind, PeerKind peers, int n,
                  std::uint64_t ops, std::chrono::milliseconds timeout) {
  std::int64_t total_ns = 0;
  for (auto _ : state) {
    const std::int64_t ns = lock_run(kind, peers, n, ops, timeout);
    state.SetIterationTime(static_cast<double>(ns) * 1e-9);
    total_ns += ns;
  }
  const double total_ops = static_cast<double>(ops) * n * static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(total_ops));
  state.counters[counters::kNsPerOp] = static_cast<double>(total_ns) / total_ops;
  state.counters[counters::kWorkers] = n;
}

// Signal/wait: a turn passed back and forth; each side waits for its value, then hands over.
// Waits are timed, so a side whose partner died gives up (StallError-like) instead of hanging.
struct Baton {
  virtual ~Baton() = default;
  virtual void pass_to(int side) = 0;  // side 0 or 1 may go
  // Returns false if the turn did not come by the deadline.
  virtual bool wait_for(int side, const timespec& deadline) = 0;
  std::atomic<bool> abandoned{false};  // one side failed: the other stops waiting
};

timespec deadline_after(std::chrono::milliseconds ms, clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  const long long ns = t.tv_nsec + static_cast<long long>(ms.count()) * 1'000'000;
  t.tv_sec += static_cast<time_t>(ns / 1'000'000'000);
  t.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return t;
}

// Waits for the turn; throws when the partner has not passed it for the peer timeout.
void await_turn(Baton& b, int side, clockid_t clock, std::chrono::milliseconds timeout) {
  if (b.wait_for(side, deadline_after(timeout, clock))) return;
  b.abandoned = true;
  throw std::runtime_error("the other side did not pass the turn within the peer timeout");
}

class EventBaton : public Baton {
 public:
  EventBaton() {
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    check_errno_result(pthread_mutex_init(&mutex_, &ma), "pthread_mutex_init");
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    check_errno_result(pthread_cond_init(&cond_, &ca), "pthread_cond_init");
  }
  ~EventBaton() override {
    pthread_cond_destroy(&cond_);
    pthread_mutex_destroy(&mutex_);
  }
  void pass_to(int side) override {
    pthread_mutex_lock(&mutex_);
    turn_ = side;
    pthread_cond_broadcast(&cond_);
    pthread_mutex_unlock(&mutex_);
  }
  bool wait_for(int side, const timespec& deadline) override {
    pthread_mutex_lock(&mutex_);
    int err = 0;
    while (turn_ != side && err != ETIMEDOUT && !abandoned)
      err = pthread_cond_timedwait(&cond_, &mutex_, &deadline);
    const bool ok = turn_ == side;
    pthread_mutex_unlock(&mutex_);
    return ok;
  }
  static constexpr clockid_t kClock = CLOCK_REALTIME;  // pthread_cond_timedwait's default

 private:
  pthread_mutex_t mutex_;
  pthread_cond_t cond_;
  int turn_ = 0;
};

class SemaphoreBaton : public Baton {
 public:
  SemaphoreBaton() {
    for (auto& s : sems_) check_syscall(sem_init(&s, 1, 0), "sem_init");
  }
  ~SemaphoreBaton() override {
    for (auto& s : sems_) sem_destroy(&s);
  }
  void pass_to(int side) override { sem_post(&sems_[side]); }
  bool wait_for(int side, const timespec& deadline) override {
    for (;;) {
      if (sem_timedwait(&sems_[side], &deadline) == 0) return true;
      if (errno != EINTR || abandoned) return false;
    }
  }
  static constexpr clockid_t kClock = CLOCK_REALTIME;  // sem_timedwait's clock

 private:
  sem_t sems_[2];
};

template <typename B>
void measure_signal(benchmark::State& state, PeerKind peers, std::chrono::milliseconds timeout) {
  SharedMemory shm(sizeof(B), "sync");
  B* baton = new (shm.data()) B;
  const auto trips = static_cast<std::uint64_t>(state.max_iterations);
  Peer peer = Peer::start(peers, std::nullopt, [baton, trips, timeout] {
    for (std::uint64_t i = 0; i < trips; ++i) {
      await_turn(*baton, 1, B::kClock, timeout);
      baton->pass_to(0);
    }
    return PeerReport{.messages = trips};
  });
  const std::int64_t start = monotonic_ns();
  try {
    for (auto _ : state) {
      baton->pass_to(1);
      await_turn(*baton, 0, B::kClock, timeout);
    }
  } catch (...) {
    baton->abandoned = true;  // the peer stops waiting; its own error is not the news here
    try {
      peer.join(timeout * 2);
    } catch (const PeerError&) {
    }
    throw;
  }
  const double elapsed = static_cast<double>(monotonic_ns() - start);
  peer.join(timeout);
  baton->~B();
  // Two hand-offs per round trip.
  state.counters[counters::kNsPerOp] = elapsed / (2.0 * static_cast<double>(state.iterations()));
}

void register_sync(const RunSettings& run, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  const auto timeout = run.peer_timeout;
  const auto ops = scaled_count(profile, 100'000, 100);
  for (const LockKind& kind : kLocks) {
    for (const PeerKind peers : {PeerKind::thread, PeerKind::process}) {
      if (peers == PeerKind::process && !kind.processes) continue;
      for (const int n : worker_counts(profile)) {
        const std::string name = std::string("sync/lock/") + kind.name +
                                 "/workers:" + std::string(to_string(peers)) +
                                 "/n:" + std::to_string(n);
        set.add(
            name,
            [=, &kind](benchmark::State& state) {
              run_workload(state, name, [&] { measure_lock(state, kind, peers, n, ops, timeout); });
            },
            Timing::manual);
      }
    }
  }
  for (const PeerKind peers : {PeerKind::thread, PeerKind::process}) {
    const std::string suffix = "/peer:" + std::string(to_string(peers));
    set.add(
        "sync/signal/event" + suffix,
        [=](benchmark::State& state) {
          run_workload(state, "sync/signal/event" + suffix,
                       [&] { measure_signal<EventBaton>(state, peers, timeout); });
        },
        Timing::real);
    set.add(
        "sync/signal/posix_sem" + suffix,
        [=](benchmark::State& state) {
          run_workload(state, "sync/signal/posix_sem" + suffix,
                       [&] { measure_signal<SemaphoreBaton>(state, peers, timeout); });
        },
        Timing::real);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("sync", &register_sync);

}  // namespace ipcbench
