// Fan-in, written once for every mechanism with several writers: N producers stream to one
// consumer, which checks each producer's sequence, so a lost, duplicated or foreign message fails.
// One iteration is one message received and verified by the consumer.
#pragma once

#include "ipc/session.hpp"

namespace ipcbench {

// Smallest message a fan-in can carry: the consumer reads the producer from the header.
inline constexpr std::size_t kFanInMinSize = 16;

void run_fan_in(benchmark::State& state, const IpcParams& params);

}  // namespace ipcbench
