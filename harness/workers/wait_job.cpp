#include "workers/wait_job.hpp"

#include <time.h>

namespace ipcbench {

Job wait_job(std::uint64_t waits, std::chrono::microseconds each) {
  const timespec pause{static_cast<time_t>(each.count() / 1'000'000),
                       static_cast<long>(each.count() % 1'000'000) * 1'000};
  return {[waits, pause](int) {
            std::uint64_t done = 0;
            for (; done < waits; ++done) clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, nullptr);
            return done;
          },
          [waits](int) { return waits; }};
}

}  // namespace ipcbench
