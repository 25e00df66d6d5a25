// The two clocks every measurement uses: CLOCK_MONOTONIC for elapsed time (shared by all processes
// on the machine) and the calling thread's CPU time (user + system), both in nanoseconds.
#pragma once

#include <cstdint>

namespace ipcbench {

std::int64_t monotonic_ns();
std::int64_t thread_cpu_ns();

// Busy-waits ns nanoseconds: a delay that behaves like work, not like sleeping.
void spin_for_ns(std::int64_t ns);

}  // namespace ipcbench
