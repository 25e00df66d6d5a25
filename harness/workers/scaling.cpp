#include "workers/scaling.hpp"

#include "bench/workload_guard.hpp"
#include "measure/counters.hpp"

namespace ipcbench {

void measure_scaling(benchmark::State& state, JobMode parallel, int n, const Job& job,
                     std::chrono::milliseconds timeout) {
  std::int64_t sequential_sum = 0, parallel_sum = 0;
  bool parallel_first = false;
  for (auto _ : state) {
    std::int64_t seq = 0, par = 0;
    if (parallel_first) {
      par = run_job(parallel, n, job, timeout);
      seq = run_job(JobMode::sequential, n, job, timeout);
    } else {
      seq = run_job(JobMode::sequential, n, job, timeout);
      par = run_job(parallel, n, job, timeout);
    }
    parallel_first = !parallel_first;
    state.SetIterationTime(static_cast<double>(par) * 1e-9);
    sequential_sum += seq;
    parallel_sum += par;
  }
  const double iterations = static_cast<double>(state.iterations());
  const double speedup = static_cast<double>(sequential_sum) / static_cast<double>(parallel_sum);
  state.counters[counters::kSequentialNs] = static_cast<double>(sequential_sum) / iterations;
  state.counters[counters::kSpeedup] = speedup;
  state.counters[counters::kEfficiency] = speedup / n;
  state.counters[counters::kWorkers] = n;
}

void register_scaling(const RunSettings& run, BenchmarkSet& set, const std::string& prefix,
                      std::function<Job(int n)> make_job) {
  const auto timeout = worker_timeout(run.peer_timeout);
  for (const int n : worker_counts(run.profile)) {
    for (const JobMode mode : {JobMode::threads, JobMode::processes}) {
      const std::string name = prefix +
                               "/workers:" + (mode == JobMode::threads ? "thread" : "process") +
                               "/n:" + std::to_string(n);
      set.add(
          name,
          [=](benchmark::State& state) {
            run_workload(state, name,
                         [&] { measure_scaling(state, mode, n, make_job(n), timeout); });
          },
          Timing::manual);
    }
  }
}

}  // namespace ipcbench
