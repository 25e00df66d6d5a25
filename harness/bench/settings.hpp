// Everything a run is told by its command line, built once (app/run_settings) and passed down as
// one value to every family and from there to each benchmark: no setting lives in a global.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/profiles.hpp"
#include "channel/ring_copy.hpp"
#include "hooks/hooks.hpp"
#include "os/affinity.hpp"
#include "os/peer.hpp"
#include "remote/control.hpp"

namespace ipcbench {

struct RunSettings {
  Profile profile;  // the named profile, narrowed by --mechanisms, --families, --sizes
  // How long a peer may make no progress before it is declared hung (--peer-timeout).
  std::chrono::milliseconds peer_timeout = kDefaultPeerTimeout;
  PinCpus cpus;  // --cpus
  Hooks hooks;   // test-only faults; none unless asked for
  // load/*: where to write each benchmark's distribution as .hgrm (--hgrm-dir), or empty.
  std::string hgrm_dir;
  // load/*: the p99 budgets the report ranks mechanisms under (--latency-budget), in ns.
  std::vector<std::int64_t> latency_budgets_ns = {10'000, 100'000, 1'000'000};
  // How the shared-memory ring copies, measured on first use (app/run_settings sets its CPUs).
  RingCopyPlan ring_copy{PinCpus{}};
  // --remote: the control connection to `ipcbench serve`, for the net/ benchmarks; none: local.
  std::shared_ptr<RemoteControl> remote;
  // Also count system calls and CPU migrations in the IPC benchmarks. perf_event_open's counters
  // slow what they count, so a run measures without them and counts in a pass of its own.
  bool count_kernel_events = false;
};

}  // namespace ipcbench
