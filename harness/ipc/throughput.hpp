// Streaming throughput, written once for every mechanism: one iteration is one message that the
// consumer received and verified. The clock stops on the consumer's acknowledgement of the last
// message, never when the producer's buffer accepted it.
#pragma once

#include "ipc/session.hpp"

namespace ipcbench {

void run_throughput(benchmark::State& state, const IpcParams& params);

}  // namespace ipcbench
