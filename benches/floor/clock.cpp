// floor/clock: what one reading of the clock costs (CLOCK_MONOTONIC, which every timed figure
// uses), and what a pair of readings adds to the interval between them. Sub-microsecond figures
// are read against it: the latency driver takes the pair's cost off each round trip.
#include "base/clock.hpp"

#include <benchmark/benchmark.h>

#include "bench/families.hpp"
#include "measure/counters.hpp"
#include "measure/round_trip_timer.hpp"

namespace ipcbench {
namespace {

void clock_reading(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(monotonic_ns());
  state.counters[counters::kClockPairNs] = static_cast<double>(clock_pair_cost_ns());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void register_clock(const RunSettings&, BenchmarkSet& set) {
  set.add(
      "floor/clock", [](benchmark::State& st) { clock_reading(st); }, Timing::real);
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("floor/clock", &register_clock);

}  // namespace ipcbench
