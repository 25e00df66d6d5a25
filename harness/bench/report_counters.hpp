// The counters every measured driver reports the same way: a histogram's percentiles, and the CPU
// both ends spent per message (measure/counters.hpp names them).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

#include "measure/counters.hpp"
#include "measure/histogram.hpp"

namespace ipcbench {

// p50_ns, p90_ns, p99_ns, p999_ns and max_ns from hist.
inline void report_percentiles(benchmark::State& state, const Histogram& hist) {
  state.counters[counters::kP50] = static_cast<double>(hist.percentile(0.50));
  state.counters[counters::kP90] = static_cast<double>(hist.percentile(0.90));
  state.counters[counters::kP99] = static_cast<double>(hist.percentile(0.99));
  state.counters[counters::kP999] = static_cast<double>(hist.percentile(0.999));
  state.counters[counters::kMax] = static_cast<double>(hist.max());
}

// cpu_ns_per_msg and its _main and _peer shares, over `messages` messages moved.
inline void report_cpu_per_message(benchmark::State& state, std::int64_t main_ns,
                                   std::int64_t peer_ns, double messages) {
  state.counters[counters::kCpuPerMsgMain] = static_cast<double>(main_ns) / messages;
  state.counters[counters::kCpuPerMsgPeer] = static_cast<double>(peer_ns) / messages;
  state.counters[counters::kCpuPerMsg] = static_cast<double>(main_ns + peer_ns) / messages;
}

}  // namespace ipcbench
