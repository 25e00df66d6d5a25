// What one end of a benchmark cost the machine over a segment of messages: its CPU (its own
// thread, and the helper threads of its process when it is the process's first end), the user
// and system split, sleeps, involuntary switches, page faults, and optionally system calls and
// CPU migrations (perf_event_open: those slow the segment down, so they are a separate pass).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "os/task_stats.hpp"

namespace ipcbench {

// Trivially copyable: a process peer sends it back through a pipe.
struct EndCost {
  TaskStats stats;                 // the end's thread and helpers, summed
  std::int64_t helper_cpu_ns = 0;  // the helpers' part of stats.cpu_ns
  std::int64_t syscalls = -1;      // -1: not counted in this segment
  std::int64_t migrations = -1;

  bool counted_events() const { return syscalls >= 0; }
  EndCost& operator+=(const EndCost& other);
};

struct CostScope {
  // Also the process's helper threads (os/task_stats.hpp): true for the first end of a process
  // (the benchmark's own side, a process peer), false for a thread peer.
  bool helpers = false;
  // Also system calls and migrations.
  bool kernel_events = false;
};

class CostMeter {
 public:
  explicit CostMeter(CostScope scope);  // starts here, on the calling thread
  ~CostMeter();
  CostMeter(const CostMeter&) = delete;
  CostMeter& operator=(const CostMeter&) = delete;

  // What was spent since the start. Takes off spun_ns of the end's own CPU: time a paced sender
  // spent waiting for its next send (open-loop load), which no message cost.
  EndCost stop(std::int64_t spun_ns = 0);

 private:
  struct Helper;
  struct Events;
  TaskStats own_start_;
  std::vector<Helper> helpers_;
  std::unique_ptr<Events> events_;
};

}  // namespace ipcbench
