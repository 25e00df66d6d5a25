// The command line turned into the one settings value a run passes down (bench/settings.hpp),
// plus whether the Python runner takes part.
#pragma once

#include "app/cli.hpp"
#include "bench/settings.hpp"

namespace ipcbench {

struct RunPlan {
  RunSettings settings;
  bool python = true;  // the py/ families run too
};

// Throws UsageError for a choice this build or machine cannot honour.
RunPlan plan_run(const Options& opt);

}  // namespace ipcbench
