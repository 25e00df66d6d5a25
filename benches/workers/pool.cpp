// pool/*: M small tasks dispatched to a pool of workers vs one new worker per task, for threads
// and processes, in the two styles of the course's Pool: map (the whole batch, in chunks) and
// apply_async (each task submitted on its own, its result collected from a future). The pool is
// started before the clock, because avoiding that cost is the point of a pool; spawn_per_task
// pays it every time, starting workers in waves of one per CPU. Reported as tasks per second.
#include <algorithm>
#include <cmath>
#include <future>
#include <thread>
#include <vector>

#include "bench/families.hpp"
#include "bench/workload_guard.hpp"
#include "measure/counters.hpp"
#include "workers/kernels.hpp"
#include "workers/process_pool.hpp"
#include "workers/thread_pool.hpp"
#include "workers/worker_job.hpp"

namespace ipcbench {
namespace {

// A small task: a few microseconds of the counting loop, different for each index.
constexpr std::uint64_t kTaskLoops = 5'000;
std::uint64_t small_task(std::uint64_t i) { return kernels::count_loop(kTaskLoops + i % 64); }
std::uint64_t small_task_result(std::uint64_t i) { return 2 * (kTaskLoops + i % 64); }

int pool_size() { return static_cast<int>(std::max(1U, std::thread::hardware_concurrency())); }

void check(std::uint64_t i, std::uint64_t got) {
  if (got != small_task_result(i))
    throw std::runtime_error("task " + std::to_string(i) + " returned " + std::to_string(got));
}

void thread_pool_map(benchmark::State& state, std::uint64_t tasks) {
  ThreadPool pool(pool_size());
  for (auto _ : state) {
    const auto results = pool.map(small_task, tasks);
    for (std::uint64_t i = 0; i < tasks; ++i) check(i, results[i]);
  }
}

void thread_pool_apply_async(benchmark::State& state, std::uint64_t tasks) {
  ThreadPool pool(pool_size());
  std::vector<std::future<std::uint64_t>> futures;
  for (auto _ : state) {
    futures.clear();
    for (std::uint64_t i = 0; i < tasks; ++i)
      futures.push_back(pool.submit([i] { return small_task(i); }));
    for (std::uint64_t i = 0; i < tasks; ++i) check(i, futures[i].get());
  }
}

void process_pool(benchmark::State& state, std::uint64_t tasks, bool map) {
  ProcessPool pool(pool_size(), small_task, small_task_result);
  const std::uint64_t chunk =
      map ? std::max<std::uint64_t>(1, tasks / (4 * static_cast<std::uint64_t>(pool_size()))) : 1;
  for (auto _ : state) pool.run(tasks, chunk);
}

// One new worker per task, pool_size() of them alive at a time.
void spawn_per_task(benchmark::State& state, std::uint64_t tasks, JobMode mode,
                    std::chrono::milliseconds timeout) {
  const int wave = pool_size();
  for (auto _ : state) {
    for (std::uint64_t first = 0; first < tasks; first += static_cast<std::uint64_t>(wave)) {
      const int n = static_cast<int>(
          std::min<std::uint64_t>(static_cast<std::uint64_t>(wave), tasks - first));
      run_job(mode, n,
              {[first](int i) { return small_task(first + static_cast<std::uint64_t>(i)); },
               [first](int i) { return small_task_result(first + static_cast<std::uint64_t>(i)); }},
              timeout);
    }
  }
}

void register_pool(const RunSettings& run, BenchmarkSet& set) {
  const auto tasks = scaled_count(run.profile, 1000, 8);
  const auto timeout = worker_timeout(run.peer_timeout);
  auto add = [&](const std::string& name, std::function<void(benchmark::State&)> body) {
    set.add(
        name,
        [=](benchmark::State& state) {
          run_workload(state, name, [&] {
            body(state);
            state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(tasks));
            state.counters[counters::kTasks] = static_cast<double>(tasks);
          });
        },
        Timing::real);
  };
  add("pool/thread/map", [=](benchmark::State& s) { thread_pool_map(s, tasks); });
  add("pool/thread/apply_async", [=](benchmark::State& s) { thread_pool_apply_async(s, tasks); });
  add("pool/thread/spawn_per_task",
      [=](benchmark::State& s) { spawn_per_task(s, tasks, JobMode::threads, timeout); });
  add("pool/process/map", [=](benchmark::State& s) { process_pool(s, tasks, true); });
  add("pool/process/apply_async", [=](benchmark::State& s) { process_pool(s, tasks, false); });
  add("pool/process/spawn_per_task",
      [=](benchmark::State& s) { spawn_per_task(s, tasks, JobMode::processes, timeout); });
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("pool", &register_pool);

}  // namespace ipcbench
