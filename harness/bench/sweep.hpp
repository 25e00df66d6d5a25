// The product a family registers its benchmarks over: peer kinds x pinnings x counts x sizes, in
// that order (the order they are listed and run in), keeping the points a mechanism supports and
// this machine allows.
#pragma once

#include <cstddef>
#include <vector>

#include "channel/mechanism.hpp"
#include "os/affinity.hpp"
#include "os/peer_kind.hpp"

namespace ipcbench {

struct SweepPoint {
  PeerKind peer;
  PinPolicy pin;
  int count;  // producers or consumers; 0 when the family has no count
  std::size_t size;
};

struct Sweep {
  const std::vector<PeerKind>& peers;
  const std::vector<PinPolicy>& pins;
  const std::vector<std::size_t>& sizes;
  std::vector<int> counts = {0};
};

// Calls f(point) for each point of `sweep` whose peer kind mechanism t supports and whose pinning
// this machine allows: peers outermost, sizes innermost.
template <class F>
void for_each_point(const MechanismInfo& t, const Sweep& sweep, F&& f) {
  for (PeerKind peer : sweep.peers) {
    if (!t.supports(peer)) continue;
    for (PinPolicy pin : sweep.pins) {
      if (!pin_policy_possible(pin)) continue;
      for (int count : sweep.counts) {
        for (std::size_t size : sweep.sizes) f(SweepPoint{peer, pin, count, size});
      }
    }
  }
}

}  // namespace ipcbench
