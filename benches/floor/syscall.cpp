// floor/syscall: the cost of entering and leaving the kernel (getppid, which does almost nothing
// and is never cached by libc). Every blocking mechanism pays at least two per message.
#include <sys/syscall.h>
#include <unistd.h>

#include "bench/families.hpp"

namespace ipcbench {
namespace {

void null_syscall(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(syscall(SYS_getppid));
}

void register_syscall(const RunSettings&, BenchmarkSet& set) {
  set.add("floor/syscall", &null_syscall, Timing::real);
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("floor/syscall", &register_syscall);

}  // namespace ipcbench
