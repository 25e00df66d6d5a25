// A fixed pool of threads taking tasks from one queue (mutex + condition variable), like the
// course's ThreadPool / Pool for threads: submit() returns a future, map() runs a range in chunks.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace ipcbench {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();  // finishes queued tasks, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::future<std::uint64_t> submit(std::function<std::uint64_t()> task);
  // results[i] = fn(i) for i in [0, count), in chunks of about count / (4 * threads).
  std::vector<std::uint64_t> map(const std::function<std::uint64_t(std::uint64_t)>& fn,
                                 std::uint64_t count);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::packaged_task<std::uint64_t()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ipcbench
