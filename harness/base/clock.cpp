#include "base/clock.hpp"

#include <time.h>

#include "base/system_error.hpp"

namespace ipcbench {
namespace {

std::int64_t clock_ns(clockid_t id) {
  timespec ts;
  check_syscall(clock_gettime(id, &ts), "clock_gettime");
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

std::int64_t monotonic_ns() { return clock_ns(CLOCK_MONOTONIC); }
std::int64_t thread_cpu_ns() { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

void spin_for_ns(std::int64_t ns) {
  const std::int64_t end = monotonic_ns() + ns;
  while (monotonic_ns() < end) {
  }
}

}  // namespace ipcbench
