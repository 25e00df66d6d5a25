// Round trips under load, open loop (load_rtt/*): a sender thread sends requests on a fixed
// schedule t_i = t_0 + i/R, the peer sends each one back as it came, and we time each round trip
// from its scheduled send (corrected) and its actual send (uncorrected). One clock takes both
// ends of every interval, so the peer may be another host (ipcbench serve) with its own clock.
#pragma once

#include "ipc/load.hpp"

namespace ipcbench {

// As run_load, with params.ipc.duplex set (requests one way, replies on a second channel);
// messages and rates count round trips, the CPU counters divide by the two messages each moves.
void run_load_rtt(benchmark::State& state, const LoadParams& params);

}  // namespace ipcbench
