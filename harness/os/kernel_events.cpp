#include "os/kernel_events.hpp"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace ipcbench {
namespace {

// Where tracefs puts the tracepoint's id: its own mount, or under debugfs on older systems.
constexpr const char* kIdFiles[] = {"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
                                    "/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id"};

long syscall_tracepoint_id() {
  for (const char* path : kIdFiles) {
    std::ifstream in(path);
    long id = -1;
    if (in >> id) return id;
  }
  throw std::runtime_error(
      "no raw_syscalls:sys_enter tracepoint id in tracefs (mount it: mount -t tracefs nodev "
      "/sys/kernel/tracing)");
}

Fd open_counter(std::uint32_t type, std::uint64_t config, pid_t tid, const char* what) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = type;
  attr.config = config;
  attr.exclude_hv = 1;
  const long fd = syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ESRCH) throw TaskEnded("task " + std::to_string(tid) + " has ended");
    std::string why = std::string("perf_event_open (") + what + "): " + std::strerror(err);
    if (err == EACCES || err == EPERM) {
      why += " (run as root, or lower /proc/sys/kernel/perf_event_paranoid)";
    }
    throw std::runtime_error(why);
  }
  return Fd(static_cast<int>(fd));
}

std::int64_t read_count(const Fd& fd) {
  std::uint64_t value = 0;
  if (::read(fd.get(), &value, sizeof value) != static_cast<ssize_t>(sizeof value)) {
    throw std::runtime_error(std::string("reading a perf counter: ") + std::strerror(errno));
  }
  return static_cast<std::int64_t>(value);
}

}  // namespace

KernelEventCounter::KernelEventCounter(pid_t tid)
    : syscalls_(open_counter(PERF_TYPE_TRACEPOINT,
                             static_cast<std::uint64_t>(syscall_tracepoint_id()), tid,
                             "raw_syscalls:sys_enter")),
      migrations_(
          open_counter(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, tid, "cpu-migrations")) {}

KernelEventCounts KernelEventCounter::read() const {
  return {read_count(syscalls_), read_count(migrations_)};
}

const std::string& kernel_events_unavailable() {
  static const std::string reason = [] {
    try {
      KernelEventCounter probe(0);
      return std::string();
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  }();
  return reason;
}

}  // namespace ipcbench
