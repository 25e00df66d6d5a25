// The one-way open-loop pieces latency under load (load/*) and its capacity search share: the
// sender's calibration and schedule, and the receiver's verified, timed receipt of them.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "channel/mechanism.hpp"
#include "ipc/open_loop.hpp"
#include "measure/payload.hpp"
#include "os/cost_meter.hpp"
#include "os/shared_memory.hpp"

namespace ipcbench {

// What the two ends share besides the channel (in shared memory for a process peer). The sender
// stores each count before the message it ends on is sent, so the receiver reads it in time.
struct OneWayShared {
  std::atomic<std::uint64_t> calibration_end{UINT64_MAX};
  std::atomic<std::uint64_t> total{UINT64_MAX};
  ScheduleFigures figures;
};

// The sender's calibration: unpaced for kCalibrationNs (at least kMinCalibration messages), then
// the receiver's acknowledgement. Returns the messages sent; shared.figures.capacity is set.
std::uint64_t calibrate(Endpoint& ep, PayloadSource& source, OneWayShared& shared);

struct SentSchedule {
  std::uint64_t sent = 0;
  EndCost cost;  // the sender's, without its spinning
};

// Sends `planned` messages from sequence `first` on the schedule `rate` per second, late ones as
// soon as possible (never skipped), each stamped with when it was due and when it left; a sender
// more than 3 times the schedule's length behind (and 0.3 s) ends it there (shared.total says
// where). Sets the schedule's start and the sender's lateness in shared.figures. Counts what
// `scope` says over the schedule.
SentSchedule send_schedule(Endpoint& ep, PayloadSource& source, OneWayShared& shared,
                           std::uint64_t first, double rate, std::uint64_t planned,
                           CostScope scope);

// The receiver's side of the calibration: every message verified, then acknowledged. Returns the
// next sequence number.
std::uint64_t receive_calibration(Endpoint& ep, std::vector<std::byte>& buf,
                                  const OneWayShared& shared);

// Receives, verifies and times messages from `seq` up to shared.total; returns the next one.
std::uint64_t receive_schedule(Endpoint& ep, std::vector<std::byte>& buf,
                               const OneWayShared& shared, std::uint64_t seq, Received& out);

// The state both ends share, constructed in shared memory (a process peer maps it too), or
// nullptr after skipping the benchmark (a full /dev/shm: this machine's limit, with its fix) or
// failing it; `what` names the benchmark in the message.
void* place_shared(benchmark::State& state, const std::string& what, std::size_t bytes,
                   std::optional<SharedMemory>& memory);
template <class T>
T* place_shared(benchmark::State& state, const std::string& what,
                std::optional<SharedMemory>& memory) {
  void* at = place_shared(state, what, sizeof(T), memory);
  return at ? new (at) T : nullptr;
}

// Waits (sleeping briefly) until ready(); throws naming `what` after `timeout`.
void wait_until_ready(const std::function<bool()>& ready, std::chrono::milliseconds timeout,
                      const char* what);

}  // namespace ipcbench
