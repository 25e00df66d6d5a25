// The scaling measurement shared by the cpu/* and io/* families: every iteration runs the same
// job sequentially and in n workers (alternating which goes first), so the speed-up is a ratio of
// two times measured side by side in one run, not of two runs minutes apart.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <string>

#include "bench/families.hpp"
#include "workers/worker_job.hpp"

namespace ipcbench {

// Reports the parallel job's wall time (manual time) with counters sequential_ns (per
// iteration), speedup and efficiency (speedup / n).
void measure_scaling(benchmark::State& state, JobMode parallel, int n, const Job& job,
                     std::chrono::milliseconds timeout);

// Registers "<prefix>/workers:thread/n:N" and ".../workers:process/n:N" for each N of the
// run's sweep; make_job(n) builds the job for n tasks when the benchmark runs.
void register_scaling(const RunSettings& run, BenchmarkSet& set, const std::string& prefix,
                      std::function<Job(int n)> make_job);

}  // namespace ipcbench
