// The counters every measured driver reports the same way: a histogram's percentiles, and the CPU
// both ends spent per message (measure/counters.hpp names them).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

#include "measure/counters.hpp"
#include "measure/histogram.hpp"
#include "measure/percentile_rule.hpp"
#include "os/cost_meter.hpp"

namespace ipcbench {

// p50_ns, p90_ns, p99_ns and p999_ns with their intervals (_lo, _hi) from hist, each only with
// enough samples behind it; max_ns, and the samples they rest on.
inline void report_percentiles(benchmark::State& state, const Histogram& hist) {
  for (const auto& p : reported_percentiles()) {
    if (const auto e = estimate_percentile(hist, p.q)) {
      state.counters[p.counter] = static_cast<double>(e->value);
      state.counters[counters::lo_of(p.counter)] = static_cast<double>(e->lo);
      state.counters[counters::hi_of(p.counter)] = static_cast<double>(e->hi);
    }
  }
  state.counters[counters::kMax] = static_cast<double>(hist.max());
  state.counters[counters::kSamples] = static_cast<double>(hist.count());
}

// A percentile without its interval (one that is not a headline figure), if enough samples.
inline void report_percentile_if_sampled(benchmark::State& state, const char* counter,
                                         const Histogram& hist, double q) {
  if (hist.count() >= samples_needed(q)) {
    state.counters[counter] = static_cast<double>(hist.percentile(q));
  }
}

// What both ends spent per message moved (`messages` of them): cpu_ns_per_msg with its user and
// system split and its helpers' part, and what the kernel did (sleeps, involuntary switches,
// page faults; system calls and migrations when counted), each also per end (_main, _peer).
void report_costs(benchmark::State& state, const EndCost& main, const EndCost& peer,
                  double messages);

// The same per operation of a workers benchmark (page_faults_per_op, ...), from `spent` over `ops`.
void report_costs_per_op(benchmark::State& state, const TaskStats& spent, double ops);

}  // namespace ipcbench
