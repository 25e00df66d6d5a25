// A pool of pre-forked worker processes, like multiprocessing.Pool: task records go to the
// workers over one shared pipe, results come back over another. Records are 16 bytes and every
// write is at most PIPE_BUF, so the kernel never splits or interleaves them between workers.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "os/fd.hpp"
#include "os/peer.hpp"

namespace ipcbench {

class ProcessPool {
 public:
  // fn(i) runs in the workers; expected(i) is what the parent checks each result against.
  ProcessPool(int workers, std::function<std::uint64_t(std::uint64_t)> fn,
              std::function<std::uint64_t(std::uint64_t)> expected);
  ~ProcessPool();  // closes the task pipe, so the workers see EOF and exit; then reaps them
  ProcessPool(const ProcessPool&) = delete;
  ProcessPool& operator=(const ProcessPool&) = delete;

  // Runs tasks 0..count-1, `chunk` per task record (1: apply_async, one task per submission;
  // more: map). Throws if a result is wrong, missing or duplicated, or a worker dies.
  void run(std::uint64_t count, std::uint64_t chunk);

 private:
  void submit_some(std::uint64_t& next, std::uint64_t count, std::uint64_t chunk);
  std::uint64_t collect_some(std::vector<bool>& seen);
  void check_workers_alive() const;

  std::function<std::uint64_t(std::uint64_t)> expected_;
  Fd task_write_;
  Fd result_read_;
  std::vector<Peer> workers_;
};

}  // namespace ipcbench
