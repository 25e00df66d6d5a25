#include "channel/ring_copy.hpp"

#include <algorithm>
#include <cstdint>
#include <new>
#include <thread>

#include "base/clock.hpp"
#include "channel/byte_ring.hpp"
#include "measure/payload.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kSizes[] = {64 * 1024, 256 * 1024, 1024 * 1024};
constexpr int kRounds = 3;
constexpr std::size_t kBytesPerTrial = 64 << 20;
constexpr std::size_t kNever = SIZE_MAX;

// Streams kBytesPerTrial through a fresh ring; the reader sums each message in place, as the
// throughput driver's verification does, and times the second half only (the first faults the
// ring's pages in and warms both caches). Returns bytes per second.
double stream_once(std::size_t size, bool streaming, const PinPlan& pins) {
  const std::size_t capacity = ring_capacity(size);
  SharedMemory shm(cache_lines(sizeof(RingHeader)) + capacity, "ring_copy");
  auto* header = new (shm.data()) RingHeader(WaitKind::spin, 1, streaming ? 0 : kNever);
  std::byte* data = shm.data() + cache_lines(sizeof(RingHeader));
  const std::size_t count = std::max<std::size_t>(16, kBytesPerTrial / size);
  std::vector<std::byte> message(size, std::byte{0x5a});
  std::uint64_t sink = 0;
  std::int64_t half = 0, end = 0;

  std::thread reader([&] {
    pin_current_thread(pins.peer_cpu);
    RingReader in(header, data, capacity);
    std::vector<std::byte> scratch(size);
    for (std::size_t i = 0; i < count; ++i) {
      if (i == count / 2) half = monotonic_ns();
      sink += payload_checksum(in.read_view(scratch));
    }
    end = monotonic_ns();
  });
  {
    ScopedPin pin(pins.main_cpu);
    RingWriter out(header, data, capacity);
    for (std::size_t i = 0; i < count; ++i) out.write(message);
  }
  reader.join();
  header->~RingHeader();
  if (sink == 42) std::atomic_signal_fence(std::memory_order_seq_cst);  // keep the sums
  const auto timed = static_cast<double>((count - count / 2) * size);
  return timed * 1e9 / static_cast<double>(std::max<std::int64_t>(end - half, 1));
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

RingCopyChoice measure_ring_copy(const PinCpus& cpus) {
  const PinPlan pins =
      plan_pins(pin_policy_possible(PinPolicy::cross) ? PinPolicy::cross : PinPolicy::none, cpus);
  // Rounds interleave every candidate, so a change in the machine's pace hits them all alike.
  std::vector<std::vector<double>> rates(std::size(kSizes) * 2);
  for (int round = 0; round < kRounds; ++round) {
    for (std::size_t i = 0; i < std::size(kSizes); ++i) {
      for (int streaming = 0; streaming < 2; ++streaming) {
        rates[i * 2 + streaming].push_back(stream_once(kSizes[i], streaming == 1, pins));
      }
    }
  }
  RingCopyChoice choice{kNever, {}};
  for (std::size_t i = 0; i < std::size(kSizes); ++i) {
    for (int streaming = 0; streaming < 2; ++streaming) {
      choice.trials.push_back({kSizes[i], streaming == 1, median(rates[i * 2 + streaming])});
    }
  }
  // From the largest size down, while streaming keeps winning.
  for (std::size_t i = std::size(kSizes); i-- > 0;) {
    if (median(rates[i * 2 + 1]) <= median(rates[i * 2])) break;
    choice.streaming_min = kSizes[i];
  }
  return choice;
}

const RingCopyChoice& RingCopyPlan::choice() const {
  std::lock_guard lock(state_->mutex);
  if (!state_->current) {
    state_->current = measure_ring_copy(state_->cpus);
    state_->history.push_back(*state_->current);
  }
  return *state_->current;
}

std::optional<RingCopyChoice> RingCopyPlan::measured() const {
  std::lock_guard lock(state_->mutex);
  if (state_->history.empty()) return std::nullopt;
  return state_->history.front();
}

std::vector<RingCopyChoice> RingCopyPlan::history() const {
  std::lock_guard lock(state_->mutex);
  return state_->history;
}

void RingCopyPlan::forget() {
  std::lock_guard lock(state_->mutex);
  state_->current.reset();
}

}  // namespace ipcbench
