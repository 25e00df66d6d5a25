// Ping-pong latency, written once for every mechanism: one iteration is one verified round trip.
// real_time is the mean round trip; the histogram gives p50..max as counters.
#pragma once

#include "ipc/session.hpp"

namespace ipcbench {

void run_latency(benchmark::State& state, const IpcParams& params);

}  // namespace ipcbench
