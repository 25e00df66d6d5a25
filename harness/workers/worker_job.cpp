#include "workers/worker_job.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "base/clock.hpp"
#include "os/peer.hpp"

namespace ipcbench {
namespace {

void check_result(JobMode mode, int index, std::uint64_t got, const Job& job) {
  const std::uint64_t want = job.expected(index);
  if (got == want) return;
  throw std::runtime_error("task " + std::to_string(index) + " (" + std::string(to_string(mode)) +
                           ") returned " + std::to_string(got) + ", expected " +
                           std::to_string(want));
}

std::int64_t run_in_peers(JobMode mode, int n, const Job& job, std::chrono::milliseconds timeout) {
  const PeerKind kind = mode == JobMode::threads ? PeerKind::thread : PeerKind::process;
  const std::int64_t start = monotonic_ns();
  std::vector<Peer> workers;
  workers.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    workers.push_back(Peer::start(
        kind, std::nullopt, [&job, i] { return PeerReport{.messages = 1, .value = job.task(i)}; }));
  }
  std::vector<std::uint64_t> results;
  results.reserve(workers.size());
  for (auto& w : workers) results.push_back(w.join(timeout).value);
  const std::int64_t wall = monotonic_ns() - start;
  for (int i = 0; i < n; ++i) check_result(mode, i, results[static_cast<std::size_t>(i)], job);
  return wall;
}

}  // namespace

std::string_view to_string(JobMode mode) {
  switch (mode) {
    case JobMode::sequential:
      return "sequential";
    case JobMode::threads:
      return "threads";
    case JobMode::processes:
      return "processes";
  }
  return "?";
}

std::chrono::milliseconds worker_timeout(std::chrono::milliseconds peer_timeout) {
  return std::max(peer_timeout, std::chrono::milliseconds(120'000));
}

std::int64_t run_job(JobMode mode, int n, const Job& job, std::chrono::milliseconds timeout) {
  if (mode != JobMode::sequential) return run_in_peers(mode, n, job, timeout);
  std::vector<std::uint64_t> results;
  results.reserve(static_cast<std::size_t>(n));
  const std::int64_t start = monotonic_ns();
  for (int i = 0; i < n; ++i) results.push_back(job.task(i));
  const std::int64_t wall = monotonic_ns() - start;
  for (int i = 0; i < n; ++i) check_result(mode, i, results[static_cast<std::size_t>(i)], job);
  return wall;
}

}  // namespace ipcbench
