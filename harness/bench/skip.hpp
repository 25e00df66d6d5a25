// Benchmarks that cannot run on this machine (a kernel limit, a size the mechanism cannot carry)
// are skipped with the reason and the fix, never clamped to something else and never counted as
// failures. Google Benchmark 1.7.1 has only SkipWithError, so a skip is an error message with a
// fixed prefix that the reporters, plots and compare all recognise.
#pragma once

#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>
#include <string_view>

#include "base/limit_error.hpp"

namespace ipcbench {

inline constexpr std::string_view kSkipPrefix = "skipped: ";

inline void skip_benchmark(benchmark::State& state, const std::string& reason) {
  state.SkipWithError((std::string(kSkipPrefix) + reason).c_str());
}

inline bool is_skip_message(std::string_view message) {
  return message.substr(0, kSkipPrefix.size()) == kSkipPrefix;
}

}  // namespace ipcbench
