// Counts a task's system calls (the raw_syscalls:sys_enter tracepoint) and CPU migrations with
// perf_event_open, as `perf stat` does; needs root, CAP_PERFMON or a low perf_event_paranoid.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "os/fd.hpp"

namespace ipcbench {

// The task to count has ended (a library's short-lived worker, such as io_uring's iou-wrk).
class TaskEnded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct KernelEventCounts {
  std::int64_t syscalls = 0;
  std::int64_t migrations = 0;
};

class KernelEventCounter {
 public:
  // Starts counting task `tid` (0: the calling thread). Throws TaskEnded when it is gone, else
  // std::runtime_error naming what this machine does not allow (kernel_events_unavailable says
  // the same before trying).
  explicit KernelEventCounter(pid_t tid);
  KernelEventCounts read() const;

 private:
  Fd syscalls_;
  Fd migrations_;
};

// Why system calls and migrations cannot be counted here (no tracefs, perf_event_paranoid, not
// root), with what to do; empty when they can. Tries once per process.
const std::string& kernel_events_unavailable();

}  // namespace ipcbench
