// System calls and CPU migrations per message, counted with perf_event_open in a pass of their
// own after the timed rounds (counting them slows the messages: docs/usage.md says by how much)
// and written onto every timed entry of the same benchmark.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "bench/families.hpp"

namespace ipcbench {

// Runs once each benchmark of `counting` (built with RunSettings::count_kernel_events) that has a
// good entry with per-message costs in results["benchmarks"], at that entry's iterations, and
// copies its counts onto those entries. results["context"]["kernel_events"] says how they were
// counted, or why not. Returns the counting runs that failed.
std::size_t count_kernel_events(const BenchmarkSet& counting, nlohmann::ordered_json& results,
                                bool color);

// The context's note for a run that counted inside its timed rounds, or not at all.
nlohmann::ordered_json kernel_events_note(bool counted_inline);

}  // namespace ipcbench
