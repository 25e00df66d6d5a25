#include "workers/thread_pool.hpp"

#include <algorithm>

namespace ipcbench {

ThreadPool::ThreadPool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

std::future<std::uint64_t> ThreadPool::submit(std::function<std::uint64_t()> task) {
  std::packaged_task<std::uint64_t()> packaged(std::move(task));
  auto future = packaged.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(packaged));
  }
  ready_.notify_one();
  return future;
}

std::vector<std::uint64_t> ThreadPool::map(const std::function<std::uint64_t(std::uint64_t)>& fn,
                                           std::uint64_t count) {
  // Python's Pool.map chunking: about four chunks per worker.
  const std::uint64_t chunk =
      std::max<std::uint64_t>(1, count / (4 * static_cast<std::uint64_t>(threads_.size())));
  std::vector<std::uint64_t> results(count);
  std::vector<std::future<std::uint64_t>> chunks;
  for (std::uint64_t start = 0; start < count; start += chunk) {
    const std::uint64_t end = std::min(count, start + chunk);
    chunks.push_back(submit([&fn, &results, start, end] {
      for (std::uint64_t i = start; i < end; ++i) results[i] = fn(i);
      return end - start;
    }));
  }
  for (auto& c : chunks) c.get();  // rethrows a task's exception
  return results;
}

void ThreadPool::work() {
  for (;;) {
    std::packaged_task<std::uint64_t()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace ipcbench
