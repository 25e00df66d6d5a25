// The course's IO task as a Job: each of n tasks writes its own file of short lines in one
// private directory and reads it back (io/file*, homework/io). The paths are registered before
// the tasks run, so an interrupted run removes them even if a worker process dies mid-write.
#pragma once

#include <cstdint>

#include "workers/worker_job.hpp"

namespace ipcbench {

Job file_job(int tasks, std::uint64_t lines, bool fsync_file);

}  // namespace ipcbench
