// A job of n independent tasks run the three ways the course compares: one after another in
// the calling thread, in n threads at once, or in n processes at once. Every task's result is
// checked, so a worker that computes nothing, crashes or hangs fails the job instead of timing it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ipcbench {

enum class JobMode { sequential, threads, processes };
std::string_view to_string(JobMode mode);

struct Job {
  // Runs task `index` (0..n-1) and returns its result; may throw.
  std::function<std::uint64_t(int index)> task;
  // What task `index` must return.
  std::function<std::uint64_t(int index)> expected;
};

// Workloads run for seconds, not the microseconds of a message, so the run's peer timeout (made
// for a stalled message) gets a generous floor for workers; a crashed worker is still noticed
// at once.
std::chrono::milliseconds worker_timeout(std::chrono::milliseconds peer_timeout);

// Wall time in nanoseconds from before the first task starts until the last worker is reaped.
// Throws (naming the task, the mode and what went wrong) if any task fails or returns a wrong
// result, or a worker has not ended after `timeout`; every worker is reaped or killed first.
std::int64_t run_job(JobMode mode, int n, const Job& job,
                     std::chrono::milliseconds timeout = worker_timeout({}));

}  // namespace ipcbench
