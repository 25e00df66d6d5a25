// An IO-bound task that only waits, as a program waiting on a network reply or a timer does:
// `waits` sleeps of `each` (io/sleep, homework/wait). Threads and processes overlap it fully.
#pragma once

#include <chrono>
#include <cstdint>

#include "workers/worker_job.hpp"

namespace ipcbench {

Job wait_job(std::uint64_t waits, std::chrono::microseconds each);

}  // namespace ipcbench
