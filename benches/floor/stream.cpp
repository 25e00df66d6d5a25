// floor/stream/size:S: the fastest a stream of S-byte messages can go from one CPU to another,
// the floor for IPC throughput. One writer and one reader share a buffer of slots, each with a
// flag on its own cache line, and nothing else: no indices, no wrapping, no waiting but spinning.
// The writer stores each message as the shared-memory ring does (the run's measured choice of
// stores), and the reader verifies each in place (sequence and checksum), as the ring's reader
// does. Only process peers pinned to two CPUs: the case it is the floor for.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <string>

#include "base/clock.hpp"
#include "bench/cross_cpu.hpp"
#include "bench/families.hpp"
#include "channel/byte_ring.hpp"
#include "channel/streaming_copy.hpp"
#include "ipc/session.hpp"
#include "measure/payload.hpp"
#include "os/shared_memory.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// A slot's state: 2m+1 once message m is in it, 2m+2 once the reader is done with it.
struct alignas(kCacheLine) SlotFlag {
  std::atomic<std::uint64_t> value{0};
};

// [flags of every slot][slot 0][slot 1]... in one shared mapping.
class SlotBuffer {
 public:
  explicit SlotBuffer(std::size_t size)
      : size_(size),
        slots_(ring_capacity(size) / size),
        shm_(slots_ * (sizeof(SlotFlag) + size), "floor_stream") {
    for (std::size_t i = 0; i < slots_; ++i) new (shm_.data() + i * sizeof(SlotFlag)) SlotFlag;
  }
  std::atomic<std::uint64_t>& flag(std::uint64_t m) const {
    return std::launder(reinterpret_cast<SlotFlag*>(shm_.data()) + m % slots_)->value;
  }
  std::byte* slot(std::uint64_t m) const {
    return shm_.data() + slots_ * sizeof(SlotFlag) + (m % slots_) * size_;
  }
  std::size_t slots() const { return slots_; }

 private:
  std::size_t size_;
  std::size_t slots_;
  SharedMemory shm_;
};

void write_message(const SlotBuffer& buf, std::uint64_t m, std::span<const std::byte> msg,
                   bool streaming) {
  if (m >= buf.slots()) spin_until(buf.flag(m), 2 * (m - buf.slots()) + 2);
  if (streaming) {
    streaming_copy(buf.slot(m), msg.data(), msg.size());
  } else {
    std::memcpy(buf.slot(m), msg.data(), msg.size());
  }
  buf.flag(m).store(2 * m + 1, std::memory_order_release);
}

void read_messages(const SlotBuffer& buf, std::size_t size, std::uint64_t count) {
  for (std::uint64_t m = 0; m < count; ++m) {
    spin_until(buf.flag(m), 2 * m + 1);
    verify_payload({buf.slot(m), size}, m);
    buf.flag(m).store(2 * m + 2, std::memory_order_release);
    if (m % 1024 == 0) StallWatchdog::progress();
  }
}

void stream(benchmark::State& state, std::size_t size, const RunSettings& run) {
  const PinPlan plan = plan_pins(PinPolicy::cross, run.cpus);
  const bool streaming = size >= run.ring_copy.choice().streaming_min;
  SlotBuffer buf(size);
  PayloadSource source(size);
  const std::uint64_t warmup = warmup_messages(size);
  const auto measured = static_cast<std::uint64_t>(state.max_iterations);
  const std::uint64_t total = warmup + measured;

  Peer peer = Peer::start(PeerKind::process, plan.peer_cpu, [&buf, size, total]() -> PeerReport {
    read_messages(buf, size, total);
    return PeerReport{.messages = total};
  });
  std::int64_t elapsed = 0;
  const std::string error = run_beside(peer, run, plan.main_cpu, [&] {
    std::uint64_t m = 0;
    for (; m < warmup; ++m) write_message(buf, m, source.stamp(m), streaming);
    spin_until(buf.flag(m - 1), 2 * (m - 1) + 2);  // drained: timing starts from an empty buffer
    const std::int64_t t0 = monotonic_ns();
    for (auto _ : state) {
      write_message(buf, m, source.stamp(m), streaming);
      ++m;
      StallWatchdog::progress();
    }
    spin_until(buf.flag(m - 1), 2 * (m - 1) + 2);
    elapsed = monotonic_ns() - t0;
  });
  if (!error.empty()) return state.SkipWithError(("floor/stream: " + error).c_str());
  state.SetIterationTime(static_cast<double>(elapsed) * 1e-9);
  state.SetBytesProcessed(static_cast<std::int64_t>(measured * size));
  state.SetItemsProcessed(static_cast<std::int64_t>(measured));
}

void register_stream(const RunSettings& run, BenchmarkSet& set) {
  if (!pin_policy_possible(PinPolicy::cross)) return;
  for (std::size_t size : plan_of(run.profile, "ipc").sizes) {
    set.add(
        "floor/stream/size:" + std::to_string(size),
        [size, run](benchmark::State& st) { stream(st, size, run); }, Timing::manual);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("floor/stream", &register_stream);

}  // namespace ipcbench
