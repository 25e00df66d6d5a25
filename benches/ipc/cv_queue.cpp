// cv_queue: a bounded queue guarded by a mutex and two condition variables (the course's
// queue.Queue), one per direction, in shared memory. Process peers use process-shared, robust
// pthread objects; thread peers use private ones, which is what std::mutex and
// std::condition_variable are on Linux. Fan-in: every producer puts into the consumer's queue.
#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "channel/mechanism.hpp"
#include "os/shared_memory.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kBytesPerQueue = 256 * 1024;
constexpr long kPollNs = 100'000'000;  // condition waits wake this often to look at the watchdog

void check_pthread(int rc, const char* what) {
  if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

struct Queue {
  Queue(bool shared) {
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    if (shared) {
      pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
      pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);  // a peer may die holding it
    }
    check_pthread(pthread_mutex_init(&mu, &ma), "pthread_mutex_init");
    pthread_mutexattr_destroy(&ma);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (shared) pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    check_pthread(pthread_cond_init(&not_empty, &ca), "pthread_cond_init");
    check_pthread(pthread_cond_init(&not_full, &ca), "pthread_cond_init");
    pthread_condattr_destroy(&ca);
  }
  ~Queue() {
    pthread_cond_destroy(&not_full);
    pthread_cond_destroy(&not_empty);
    pthread_mutex_destroy(&mu);
  }
  pthread_mutex_t mu;
  pthread_cond_t not_empty, not_full;
  std::uint32_t head = 0, count = 0;
  bool closed = false;
};

// Holds a queue's lock; a lock whose owner died means the peer died inside the queue.
class Locked {
 public:
  explicit Locked(Queue& q) : q_(q) {
    const int rc = pthread_mutex_lock(&q_.mu);
    if (rc == EOWNERDEAD) {
      pthread_mutex_consistent(&q_.mu);
      q_.closed = true;
      return;
    }
    check_pthread(rc, "pthread_mutex_lock");
  }
  ~Locked() { pthread_mutex_unlock(&q_.mu); }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;

  // Waits on cv for up to one poll period; throws (unlocking first) if the watchdog says stop.
  void wait(pthread_cond_t& cv) {
    timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += kPollNs;
    if (deadline.tv_nsec >= 1'000'000'000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1'000'000'000;
    }
    const int rc = pthread_cond_timedwait(&cv, &q_.mu, &deadline);
    if (rc == EOWNERDEAD) {
      pthread_mutex_consistent(&q_.mu);
      q_.closed = true;
    } else if (rc != 0 && rc != ETIMEDOUT) {
      check_pthread(rc, "pthread_cond_timedwait");
    }
    if (rc == ETIMEDOUT && StallWatchdog::should_stop()) check_stall();  // ~Locked unlocks
  }

 private:
  Queue& q_;
};

struct QueueView {
  Queue* q;
  std::byte* slots;
};

class CvEndpoint : public Endpoint {
 public:
  CvEndpoint(QueueView out, QueueView in, std::size_t slot_size, std::uint32_t depth, bool closes)
      : out_(out), in_(in), slot_size_(slot_size), depth_(depth), closes_(closes) {}
  ~CvEndpoint() override {
    if (!closes_) return;  // a fan-in producer must not close the queue the others still use
    for (QueueView v : {out_, in_}) {
      if (!v.q) continue;
      Locked lock(*v.q);
      v.q->closed = true;
      pthread_cond_broadcast(&v.q->not_empty);
      pthread_cond_broadcast(&v.q->not_full);
    }
  }

  void send(std::span<const std::byte> msg) override {
    Queue& q = *out_.q;
    Locked lock(q);
    while (q.count == depth_ && !q.closed) lock.wait(q.not_full);
    if (q.closed) throw ChannelClosed("the peer closed the queue");
    std::memcpy(out_.slots + ((q.head + q.count) % depth_) * slot_size_, msg.data(), msg.size());
    ++q.count;
    pthread_cond_signal(&q.not_empty);
  }

  void recv(std::span<std::byte> msg) override {
    Queue& q = *in_.q;
    Locked lock(q);
    while (q.count == 0 && !q.closed) lock.wait(q.not_empty);
    if (q.count == 0) throw ChannelClosed("the peer closed the queue");
    std::memcpy(msg.data(), in_.slots + q.head * slot_size_, msg.size());
    q.head = (q.head + 1) % depth_;
    --q.count;
    pthread_cond_signal(&q.not_full);
  }

 private:
  QueueView out_, in_;
  std::size_t slot_size_;
  std::uint32_t depth_;
  bool closes_;
};

class CvChannel : public Channel {
 public:
  explicit CvChannel(const ChannelOptions& o)
      : slot_size_(cache_lines(std::max<std::size_t>(o.max_message_size, 1))),
        depth_(static_cast<std::uint32_t>(
            std::clamp<std::size_t>(kBytesPerQueue / slot_size_, 2, 16))),
        stride_(cache_lines(sizeof(Queue)) + depth_ * slot_size_),
        shm_(2 * stride_, "cv_queue") {
    for (int d = 0; d < 2; ++d) new (shm_.data() + d * stride_) Queue(o.peers == PeerKind::process);
  }
  ~CvChannel() override {
    for (int d = 0; d < 2; ++d) view(d).q->~Queue();
  }

  // Queue 0 carries a -> b, queue 1 b -> a (and every producer's messages in fan-in).
  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    const int out = side == Side::a ? 0 : 1;
    return std::make_unique<CvEndpoint>(view(out), view(1 - out), slot_size_, depth_, true);
  }
  std::unique_ptr<Endpoint> open_producer(int, PeerKind) override {
    return std::make_unique<CvEndpoint>(view(1), QueueView{}, slot_size_, depth_, false);
  }

 private:
  QueueView view(int d) const {
    std::byte* base = shm_.data() + d * stride_;
    return {std::launder(reinterpret_cast<Queue*>(base)), base + cache_lines(sizeof(Queue))};
  }
  std::size_t slot_size_;
  std::uint32_t depth_;
  std::size_t stride_;
  SharedMemory shm_;
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"cv_queue",
                             "bounded queue with a mutex and two condition variables (pthread, "
                             "process-shared and robust for process peers)",
                             {.data_path = DataPath::shared_memory, .waits = Waits::blocks},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             [](const ChannelOptions& o) -> std::unique_ptr<Channel> {
                               return std::make_unique<CvChannel>(o);
                             }});

}  // namespace ipcbench
