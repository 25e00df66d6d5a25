// What the kernel keeps for each task (thread) of this process: CPU time, its user and system
// split, voluntary and involuntary context switches and page faults, from getrusage and /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ipcbench {

struct TaskStats {
  std::int64_t cpu_ns = 0;     // user + system, exact (the scheduler's own sum)
  std::int64_t user_ns = 0;    // the split is sampled at the scheduler's tick: over a short
  std::int64_t system_ns = 0;  // segment it is coarse, while cpu_ns stays exact
  std::int64_t voluntary_switches = 0;    // the task gave up the CPU: it slept (waited)
  std::int64_t involuntary_switches = 0;  // the scheduler took the CPU away
  std::int64_t page_faults = 0;           // minor and major

  TaskStats& operator-=(const TaskStats& earlier);
  TaskStats& operator+=(const TaskStats& other);
};

// The calling thread's, from getrusage(RUSAGE_THREAD) and its CPU clock (microsecond split).
TaskStats calling_thread_stats();

// The whole process, every thread of it, and its children that have been waited for
// (getrusage RUSAGE_SELF plus RUSAGE_CHILDREN): what creating workers costs, theirs included.
TaskStats process_and_children_stats();

// Task `tid` of this process, from /proc/self/task/<tid>/{schedstat,stat,status}; the user and
// system split there is in clock ticks. Throws when the task has gone.
TaskStats task_stats(pid_t tid);

// This process's tasks that neither ipcbench nor a thread peer started: a library's helpers, such
// as io_uring's SQPOLL thread (iou-sqp-*) and ZeroMQ's I/O threads. ipcbench names its own threads
// with kHarnessThreadPrefix; the process's first thread (tid == pid) is never a helper.
inline constexpr const char* kHarnessThreadPrefix = "ipcb-";
std::vector<pid_t> helper_tasks();

// Names the calling thread "ipcb-<role>" (at most 15 characters in all).
void name_harness_thread(const std::string& role);

}  // namespace ipcbench
