#include "workers/process_pool.hpp"

#include <limits.h>
#include <poll.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <string>

#include "base/system_error.hpp"
#include "os/io.hpp"

namespace ipcbench {
namespace {

struct Record {
  std::uint64_t a, b;  // task: {first index, count}; result: {index, value}
};
constexpr std::size_t kRecordsPerWrite = PIPE_BUF / sizeof(Record);  // records per atomic write
constexpr int kResultPollMs = 100;
constexpr std::chrono::seconds kNoProgressLimit{60};

// The worker's loop: take a task record, compute each index in it, send the results back in
// atomic batches; EOF on the task pipe means the pool is closing.
PeerReport serve(int task_read, int result_write,
                 const std::function<std::uint64_t(std::uint64_t)>& fn) {
  std::array<Record, kRecordsPerWrite> out{};
  std::uint64_t served = 0;
  Record task{};
  while (read_exact_or_eof(task_read, std::as_writable_bytes(std::span(&task, 1)))) {
    std::size_t n = 0;
    for (std::uint64_t i = task.a; i < task.a + task.b; ++i) {
      out[n++] = {i, fn(i)};
      if (n == kRecordsPerWrite || i + 1 == task.a + task.b) {
        write_all(result_write, std::as_bytes(std::span(out.data(), n)));
        n = 0;
      }
    }
    served += task.b;
  }
  return {.messages = served};
}

}  // namespace

ProcessPool::ProcessPool(int workers, std::function<std::uint64_t(std::uint64_t)> fn,
                         std::function<std::uint64_t(std::uint64_t)> expected)
    : expected_(std::move(expected)) {
  auto [task_read, task_write] = make_pipe("pipe2 (pool tasks)");
  auto [result_read, result_write] = make_pipe("pipe2 (pool results)");
  task_write_ = std::move(task_write);
  result_read_ = std::move(result_read);
  const int tw = task_write_.get(), rr = result_read_.get();
  const int tr = task_read.get(), rw = result_write.get();
  for (int i = 0; i < workers; ++i) {
    workers_.push_back(Peer::start(PeerKind::process, std::nullopt, [=] {
      // Our copies of the parent's ends must go, or no worker would ever see EOF.
      ::close(tw);
      ::close(rr);
      return serve(tr, rw, fn);
    }));
  }
  // The parent keeps only its own ends: the workers hold the others.
  check_syscall(fcntl(tw, F_SETFL, O_NONBLOCK), "fcntl(O_NONBLOCK)");
}

ProcessPool::~ProcessPool() {
  task_write_.reset();
  for (auto& w : workers_) {
    try {
      w.join(std::chrono::seconds(5));
    } catch (const PeerError&) {
      // Already reported by run(), or the pool is being torn down after a failure.
    }
  }
}

void ProcessPool::run(std::uint64_t count, std::uint64_t chunk) {
  std::vector<bool> seen(count);
  std::uint64_t next = 0, received = 0;
  auto last_progress = std::chrono::steady_clock::now();
  while (received < count) {
    pollfd fds[2] = {{result_read_.get(), POLLIN, 0},
                     {task_write_.get(), static_cast<short>(next < count ? POLLOUT : 0), 0}};
    const int ready = ::poll(fds, 2, kResultPollMs);
    if (ready < 0 && errno != EINTR) check_syscall(-1, "poll");
    if (fds[1].revents & POLLOUT) submit_some(next, count, chunk);
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      received += collect_some(seen);
      last_progress = std::chrono::steady_clock::now();
    } else {
      check_workers_alive();
      if (std::chrono::steady_clock::now() - last_progress > kNoProgressLimit)
        throw std::runtime_error("process pool: no result for 60 s");
    }
  }
}

void ProcessPool::submit_some(std::uint64_t& next, std::uint64_t count, std::uint64_t chunk) {
  std::array<Record, kRecordsPerWrite> batch{};
  std::size_t n = 0;
  for (std::uint64_t start = next; n < kRecordsPerWrite && start < count; start += chunk)
    batch[n++] = {start, std::min(chunk, count - start)};
  // At most PIPE_BUF bytes: the write is all or nothing, so a record is never half sent.
  const ssize_t w = ::write(task_write_.get(), batch.data(), n * sizeof(Record));
  if (w < 0 && errno == EAGAIN) return;
  check_syscall(w, "write (pool tasks)");
  for (std::size_t i = 0; i < n; ++i) next = batch[i].a + batch[i].b;
}

std::uint64_t ProcessPool::collect_some(std::vector<bool>& seen) {
  std::array<Record, kRecordsPerWrite> batch{};
  const ssize_t r = ::read(result_read_.get(), batch.data(), sizeof batch);
  if (r < 0 && errno == EINTR) return 0;
  check_syscall(r, "read (pool results)");
  if (r == 0) throw std::runtime_error("process pool: every worker is gone");
  const std::size_t n = static_cast<std::size_t>(r) / sizeof(Record);
  for (std::size_t i = 0; i < n; ++i) {
    const auto [index, value] = batch[i];
    if (index >= seen.size() || seen[index])
      throw std::runtime_error("process pool: unexpected or repeated result for task " +
                               std::to_string(index));
    if (value != expected_(index))
      throw std::runtime_error("process pool: task " + std::to_string(index) + " returned " +
                               std::to_string(value) + ", expected " +
                               std::to_string(expected_(index)));
    seen[index] = true;
  }
  return n;
}

// WNOWAIT: looks without reaping, so Peer::join can still report how the worker died.
void ProcessPool::check_workers_alive() const {
  for (const auto& w : workers_) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(w.pid()), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid != 0) {
      throw std::runtime_error("process pool: worker " + std::to_string(w.pid()) +
                               (info.si_code == CLD_EXITED
                                    ? " exited with code " + std::to_string(info.si_status)
                                    : " was killed by signal " + std::to_string(info.si_status)));
    }
  }
}

}  // namespace ipcbench
