#include "app/run_settings.hpp"

#include "bench/family_options.hpp"
#include "channel/mechanism.hpp"

namespace ipcbench {
namespace {

// --remote: the network mechanisms' latency, throughput and round trips under load, between hosts
// (net/..., load_rtt/.../peer:remote) and over loopback with process peers beside them; the other
// families stay out unless asked for.
void narrow_to_remote(const RunChoices& choices, Profile& profile, bool& python) {
  if (choices.mechanisms.empty()) {
    profile.mechanisms.clear();
    for (const auto& t : all_mechanisms()) {
      if (t.remote) profile.mechanisms.push_back(t.name);
    }
  }
  if (choices.families.empty()) {
    profile.families = {"ipc", "load_rtt"};
    python = false;
  }
  for (const char* name : {"ipc/fan_in", "ipc/fan_out", "ipc/zero_copy", "ipc/thread", "load"}) {
    profile.plans.erase(name);
  }
  if (profile.plans.contains("ipc")) {
    plan_to_change<SweepPlan>(profile, "ipc").peers = {PeerKind::process};
  }
  if (profile.plans.contains("load_rtt")) {
    plan_to_change<SweepPlan>(profile, "load_rtt").mechanisms = profile.mechanisms;
  }
}

}  // namespace

RunPlan plan_run(const Options& opt) {
  RunPlan plan;
  RunSettings& run = plan.settings;
  run.profile = *find_profile(opt.profile);  // parse_options accepted only known names
  if (opt.repetitions) {  // exactly that many, in rounds when the profile has them
    run.profile.repetitions = *opt.repetitions;
    if (run.profile.rounds.min > 0) run.profile.rounds = {*opt.repetitions, *opt.repetitions};
  }
  run.peer_timeout = opt.peer_timeout;
  run.hooks = opt.hooks;
  run.count_kernel_events = opt.kernel_events == KernelEventCounting::in_timed_rounds;
  plan.counting_pass = opt.kernel_events == KernelEventCounting::separate_pass;
  plan.python = apply_run_choices(opt.choices, run) && !opt.no_python;
  for (const auto& [flag, value] : opt.family_values) family_options().at(flag).apply(value, run);
  run.ring_copy = RingCopyPlan(run.cpus);
  if (!opt.remote.empty()) narrow_to_remote(opt.choices, run.profile, plan.python);
  return plan;
}

}  // namespace ipcbench
