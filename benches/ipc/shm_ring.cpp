// shm_ring.{spin,futex,sem,adaptive}: our own single-producer single-consumer ring in POSIX shared
// memory, one per direction, with four ways to wait for the other side: busy spinning, a futex,
// a process-shared POSIX semaphore, and a short spin (~15 µs) before a futex.
// Fan-out: one ring that every consumer reads whole (each has its own index; the producer waits
// for the slowest), so a message is written once however many read it.
#include <algorithm>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>

#include "base/limit_error.hpp"
#include "channel/byte_ring.hpp"
#include "channel/mechanism.hpp"

namespace ipcbench {
namespace {

// A pair's end writes one ring and reads the other; a fan-out producer only writes, and a
// consumer only reads.
class RingEndpoint : public Endpoint {
 public:
  RingEndpoint(std::optional<RingWriter> out, std::optional<RingReader> in) : out_(out), in_(in) {}
  // Closing wakes a peer that sleeps on either ring, so it sees the close instead of hanging.
  ~RingEndpoint() override {
    if (out_) out_->close();
    if (in_) in_->close();
  }
  void send(std::span<const std::byte> msg) override { writer().write(msg); }
  void recv(std::span<std::byte> msg) override { reader().read(msg); }
  std::span<const std::byte> recv_view(std::span<std::byte> scratch) override {
    return reader().read_view(scratch);
  }

 private:
  RingWriter& writer() {
    if (!out_) throw std::logic_error("a fan-out consumer only receives");
    return *out_;
  }
  RingReader& reader() {
    if (!in_) throw std::logic_error("a fan-out producer only sends");
    return *in_;
  }
  std::optional<RingWriter> out_;
  std::optional<RingReader> in_;
};

// `rings` rings in one mapping: [header 0][header 1]...[data 0][data 1]...
class RingChannel : public Channel {
 public:
  // A pair: ring 0 carries a -> b, ring 1 b -> a. Fan-out: one ring, read whole by each of
  // `o.consumers`.
  RingChannel(WaitKind kind, const ChannelOptions& o)
      : rings_(o.consumers > 0 ? 1 : 2),
        capacity_(ring_capacity(o.max_message_size)),
        shm_(rings_ * (cache_lines(sizeof(RingHeader)) + capacity_), "shm_ring") {
    const std::size_t streaming_min = o.streaming_copy_min();
    for (int i = 0; i < rings_; ++i) {
      new (header(i)) RingHeader(kind, std::max(o.consumers, 1), streaming_min);
    }
  }
  ~RingChannel() override {
    for (int i = 0; i < rings_; ++i) header(i)->~RingHeader();
  }

  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    if (rings_ == 1) return std::make_unique<RingEndpoint>(writer(0), std::nullopt);
    const int out = side == Side::a ? 0 : 1;
    return std::make_unique<RingEndpoint>(writer(out), reader(1 - out, 0));
  }

  std::unique_ptr<Endpoint> open_consumer(int index, PeerKind) override {
    return std::make_unique<RingEndpoint>(std::nullopt, reader(0, index));
  }

 private:
  RingWriter writer(int ring) const { return {header(ring), data(ring), capacity_}; }
  RingReader reader(int ring, int index) const {
    return {header(ring), data(ring), capacity_, index};
  }
  RingHeader* header(int ring) const {
    return std::launder(
        reinterpret_cast<RingHeader*>(shm_.data() + ring * cache_lines(sizeof(RingHeader))));
  }
  std::byte* data(int ring) const {
    return shm_.data() + rings_ * cache_lines(sizeof(RingHeader)) + ring * capacity_;
  }

  int rings_;
  std::size_t capacity_;
  SharedMemory shm_;
};

MechanismInfo ring(const char* name, const char* description, WaitKind kind) {
  const Waits waits = kind == WaitKind::spin       ? Waits::spins
                      : kind == WaitKind::adaptive ? Waits::hybrid
                                                   : Waits::blocks;
  return {name,
          description,
          {.data_path = DataPath::shared_memory, .waits = waits},
          // No fan-out on a semaphore: a post wakes any one sleeper, which may be a reader
          // waiting for a later message while the one the post was for sleeps on.
          {.fan_out_max_message_size = kind == WaitKind::semaphore ? 0 : std::size_t{1} << 30},
          [kind](const ChannelOptions& o) -> std::unique_ptr<Channel> {
            if (o.consumers > kMaxRingReaders) {
              throw LimitError("shm_ring: a broadcast ring has at most " +
                               std::to_string(kMaxRingReaders) + " consumers");
            }
            return std::make_unique<RingChannel>(kind, o);
          }};
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM(ring("shm_ring.spin",
                                 "SPSC ring in shared memory; waits by busy spinning (with a "
                                 "sched_yield every ~1k spins so a same-CPU peer can run)",
                                 WaitKind::spin));
IPCBENCH_REGISTER_MECHANISM(ring("shm_ring.futex",
                                 "SPSC ring in shared memory; sleeps on a futex, woken only when "
                                 "the other side sleeps",
                                 WaitKind::futex));
IPCBENCH_REGISTER_MECHANISM(ring("shm_ring.sem",
                                 "SPSC ring in shared memory; sleeps on a process-shared POSIX "
                                 "semaphore, posted only when the other side sleeps",
                                 WaitKind::semaphore));
IPCBENCH_REGISTER_MECHANISM(ring("shm_ring.adaptive",
                                 "SPSC ring in shared memory; spins ~16k pauses, then sleeps on a "
                                 "futex: spin latency when busy, no CPU when idle",
                                 WaitKind::adaptive));

}  // namespace ipcbench
