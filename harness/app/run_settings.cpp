#include "app/run_settings.hpp"

namespace ipcbench {

RunPlan plan_run(const Options& opt) {
  RunPlan plan;
  RunSettings& run = plan.settings;
  run.profile = *find_profile(opt.profile);  // parse_options accepted only known names
  if (opt.homework_loops) run.profile.homework.loops = opt.homework_loops;
  if (opt.homework_lines) run.profile.homework.lines = opt.homework_lines;
  if (opt.repetitions) run.profile.repetitions = *opt.repetitions;
  run.peer_timeout = opt.peer_timeout;
  run.hooks = opt.hooks;
  plan.python = apply_run_choices(opt.choices, run) && !opt.no_python;
  run.ring_copy = RingCopyPlan(run.cpus);
  return plan;
}

}  // namespace ipcbench
