// Test-only: a known slowdown injected into chosen benchmarks (--inject-slowdown=REGEX:PERCENT),
// so that the regression tracker's detection rate can be measured against a change of known size.
// The latency driver calibrates it: it spins for PERCENT of the round trip it measured in warm-up.
#pragma once

#include <cstdint>
#include <string>

namespace ipcbench {

// Parses "REGEX:PERCENT" (e.g. "ipc/pipe/latency/.*size:64$:10"); throws UsageError.
void set_injected_slowdown(const std::string& spec);
// The fraction (0.10 for 10 %) for a benchmark name; 0 when none applies.
double injected_slowdown_for(const std::string& name);

// The fraction for the benchmark now running (set by BenchmarkSet around each benchmark call).
double current_injected_slowdown();
void set_current_injected_slowdown(double fraction);

// Busy-waits ns nanoseconds (a delay that behaves like work, not like sleeping).
void spin_for_ns(std::int64_t ns);

}  // namespace ipcbench
