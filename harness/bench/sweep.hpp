// The product a family registers its benchmarks over: peer kinds x pinnings x counts x sizes, in
// that order (the order they are listed and run in), keeping the points a mechanism supports and
// this machine allows.
#pragma once

#include <cstddef>
#include <vector>

#include "bench/profiles.hpp"
#include "channel/mechanism.hpp"
#include "os/affinity.hpp"
#include "os/peer_kind.hpp"

namespace ipcbench {

struct SweepPoint {
  PeerKind peer;
  PinPolicy pin;
  int count;  // producers or consumers; 0 when the plan has no count
  std::size_t size;
};

// Calls f(point) for each point of `plan` whose peer kind mechanism t supports and whose pinning
// this machine allows: peers outermost, sizes innermost. The plan's mechanisms and rates are the
// caller's to loop over.
template <class F>
void for_each_point(const MechanismInfo& t, const SweepPlan& plan, F&& f) {
  static const std::vector<int> no_count = {0};
  const auto& counts = plan.counts.empty() ? no_count : plan.counts;
  for (PeerKind peer : plan.peers) {
    if (!t.supports(peer)) continue;
    for (PinPolicy pin : plan.pins) {
      if (!pin_policy_possible(pin)) continue;
      for (int count : counts) {
        for (std::size_t size : plan.sizes) f(SweepPoint{peer, pin, count, size});
      }
    }
  }
}

}  // namespace ipcbench
