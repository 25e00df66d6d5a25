// Fan-out, written once for every mechanism with several readers: one producer streams to N
// consumers, each of which verifies every message in order, so a consumer that misses, reorders
// or corrupts a message fails the benchmark by its index. One iteration is one message published;
// it counts as done when every consumer has received and checked it.
#pragma once

#include "ipc/session.hpp"

namespace ipcbench {

void run_fan_out(benchmark::State& state, const IpcParams& params);

}  // namespace ipcbench
