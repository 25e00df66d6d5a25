// The capacity within a latency budget, found rather than read off a grid (as Nighthawk's adaptive
// load controller does): open-loop probes at rising rates until the p99 breaks the largest budget,
// then, for each budget, a search between the last rate that met it and the first that did not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ipc/session.hpp"

namespace ipcbench {

struct CapacitySearchParams {
  IpcParams ipc;
  std::vector<std::int64_t> budgets_ns;  // p99 budgets (--latency-budget)
};

// The counter of the highest rate (messages per second) whose p99 stayed within `budget_ns` there
// and at every lower rate probed: capacity_p99_within_<budget_ns>ns, with _lo (the same rate) and
// _hi (the lowest rate above it that broke the budget); 0 (up to the lowest probe) when the
// lowest probe broke it.
std::string capacity_counter(std::int64_t budget_ns);

// One iteration is the whole search (load/<mechanism>/.../search:p99). Counters: one capacity
// per budget, probes, capacity_rate (the unpaced calibration).
void run_capacity_search(benchmark::State& state, const CapacitySearchParams& params);

}  // namespace ipcbench
