// Repetitions spread over the run, where the variation is (Kalibera and Jones): every benchmark
// runs once per round in a fresh random order; after the profile's minimum, only those whose main
// figure's interval is still wide run again, widest first, within the profile's time budget.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/families.hpp"
#include "bench/profiles.hpp"

namespace ipcbench {

struct RoundsOutcome {
  nlohmann::ordered_json results;  // Google Benchmark's JSON, every round's entries in one list
  std::size_t failures = 0;
  std::size_t skips = 0;
};

// Runs `set` in rounds (plan.min > 0). A benchmark runs the iterations its first round chose
// (Google Benchmark's search for min_time, peer start and all, is not paid again). Each entry
// carries its round (ipcbench_round, from 1) and repetition_index/repetitions over its rounds.
// before_round runs before each round (what a round must measure afresh, such as the ring's copy
// plan).
RoundsOutcome run_in_rounds(const BenchmarkSet& set, const RoundsPlan& plan, bool color,
                            const std::function<void()>& before_round);

// The figure whose interval decides whether a benchmark repeats: its median round trip, else its
// throughput, else its time per operation, a search's first capacity, or its time.
std::string main_figure(const nlohmann::ordered_json& entry);

}  // namespace ipcbench
