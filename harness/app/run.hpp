// One ipcbench run from parsed options: register the chosen benchmarks, run them under Google
// Benchmark and the Python runner, and publish one atomic JSON results file.
#pragma once

#include "app/cli.hpp"

namespace ipcbench {

// Returns the exit status: 0 all passed or were skipped, 1 a benchmark failed. Throws
// UsageError for bad input (nothing is written then).
int run(const Options& opt, const char* argv0);

}  // namespace ipcbench
