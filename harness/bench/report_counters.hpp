// The counters every measured driver reports the same way: a histogram's percentiles, and the CPU
// both ends spent per message (measure/counters.hpp names them).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

#include "measure/counters.hpp"
#include "measure/histogram.hpp"
#include "measure/percentile_rule.hpp"

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

// cpu_ns_per_msg and its _main and _peer shares, over `messages` messages moved.
inline void report_cpu_per_message(benchmark::State& state, std::int64_t main_ns,
                                   std::int64_t peer_ns, double messages) {
  state.counters[counters::kCpuPerMsgMain] = static_cast<double>(main_ns) / messages;
  state.counters[counters::kCpuPerMsgPeer] = static_cast<double>(peer_ns) / messages;
  state.counters[counters::kCpuPerMsg] = static_cast<double>(main_ns + peer_ns) / messages;
}

}  // namespace ipcbench
