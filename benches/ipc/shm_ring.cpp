// shm_ring.{spin,futex,sem,adaptive}: our own single-producer single-consumer ring in POSIX shared
// memory, one per direction, with four ways to wait for the other side: busy spinning, a futex,
// a process-shared POSIX semaphore, and a short spin (~15 µs) before a futex.
#include <memory>
#include <new>

#include "channel/spsc_ring.hpp"
#include "channel/transport.hpp"

namespace ipcbench {
namespace {

class RingEndpoint : public Endpoint {
 public:
  RingEndpoint(RingWriter out, RingReader in) : out_(out), in_(in) {}
  // Closing wakes a peer that sleeps on either ring, so it sees the close instead of hanging.
  ~RingEndpoint() override {
    out_.close();
    in_.close();
  }
  void send(std::span<const std::byte> msg) override { out_.write(msg); }
  void recv(std::span<std::byte> msg) override { in_.read(msg); }
  std::span<const std::byte> recv_view(std::span<std::byte> scratch) override {
    return in_.read_view(scratch);
  }

 private:
  RingWriter out_;
  RingReader in_;
};

class RingChannel : public Channel {
 public:
  RingChannel(WaitKind kind, std::size_t max_message)
      : capacity_(ring_capacity(max_message)),
        shm_(2 * (cache_lines(sizeof(RingHeader)) + capacity_), "shm_ring") {
    for (int i = 0; i < 2; ++i) new (header(i)) RingHeader(kind);
  }
  ~RingChannel() override {
    for (int i = 0; i < 2; ++i) header(i)->~RingHeader();
  }

  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    const int out = side == Side::a ? 0 : 1;
    return std::make_unique<RingEndpoint>(RingWriter(header(out), data(out), capacity_),
                                          RingReader(header(1 - out), data(1 - out), capacity_));
  }

 private:
  // Ring 0 carries a -> b, ring 1 b -> a: [header 0][header 1][data 0][data 1].
  RingHeader* header(int ring) const {
    return std::launder(
        reinterpret_cast<RingHeader*>(shm_.data() + ring * cache_lines(sizeof(RingHeader))));
  }
  std::byte* data(int ring) const {
    return shm_.data() + 2 * cache_lines(sizeof(RingHeader)) + ring * capacity_;
  }

  std::size_t capacity_;
  SharedMemory shm_;
};

TransportInfo ring(const char* name, const char* description, WaitKind kind) {
  const Waits waits = kind == WaitKind::spin       ? Waits::spins
                      : kind == WaitKind::adaptive ? Waits::hybrid
                                                   : Waits::blocks;
  return {name,
          description,
          {.data_path = DataPath::shared_memory, .waits = waits},
          {},
          [kind](const ChannelOptions& o) -> std::unique_ptr<Channel> {
            return std::make_unique<RingChannel>(kind, o.max_message_size);
          }};
}

}  // namespace

IPCBENCH_REGISTER_TRANSPORT(ring("shm_ring.spin",
                                 "SPSC ring in shared memory; waits by busy spinning (with a "
                                 "sched_yield every ~1k spins so a same-CPU peer can run)",
                                 WaitKind::spin));
IPCBENCH_REGISTER_TRANSPORT(ring("shm_ring.futex",
                                 "SPSC ring in shared memory; sleeps on a futex, woken only when "
                                 "the other side sleeps",
                                 WaitKind::futex));
IPCBENCH_REGISTER_TRANSPORT(ring("shm_ring.sem",
                                 "SPSC ring in shared memory; sleeps on a process-shared POSIX "
                                 "semaphore, posted only when the other side sleeps",
                                 WaitKind::semaphore));
IPCBENCH_REGISTER_TRANSPORT(ring("shm_ring.adaptive",
                                 "SPSC ring in shared memory; spins ~16k pauses, then sleeps on a "
                                 "futex: spin latency when busy, no CPU when idle",
                                 WaitKind::adaptive));

}  // namespace ipcbench
