// The command line turned into the one settings value a run passes down (bench/settings.hpp),
// plus whether the Python runner takes part.
#pragma once

#include "app/cli.hpp"
#include "bench/settings.hpp"

namespace ipcbench {

struct RunPlan {
  RunSettings settings;
  bool python = true;  // the py/ families run too
  // System calls and migrations are counted in a pass of their own after the timed rounds
  // (app/counting_pass); settings.count_kernel_events counts them inside the timed ones.
  bool counting_pass = true;
};

// Throws UsageError for a choice this build or machine cannot honour.
RunPlan plan_run(const Options& opt);

}  // namespace ipcbench
