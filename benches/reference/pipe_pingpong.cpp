// ref/pipe_pingpong: the smallest honest pipe ping-pong between two processes, written by hand
// with no harness at all, so every run measures what the harness adds on top of the same work.
// Interleave it with ipc/pipe/latency/peer:process/... (--benchmark_enable_random_interleaving).
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench/families.hpp"
#include "os/affinity.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kSize = 64;

bool io_exact(ssize_t (*op)(int, void*, size_t), int fd, char* buf, std::size_t n) {
  for (std::size_t done = 0; done < n;) {
    const ssize_t r = op(fd, buf + done, n - done);
    if (r <= 0) return false;
    done += static_cast<std::size_t>(r);
  }
  return true;
}

ssize_t read_op(int fd, void* b, size_t n) { return ::read(fd, b, n); }
ssize_t write_op(int fd, void* b, size_t n) { return ::write(fd, b, n); }

[[noreturn]] void echo_child(int in, int out, std::optional<int> cpu) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  pin_current_thread(cpu);
  char buf[kSize];
  while (io_exact(read_op, in, buf, kSize) && io_exact(write_op, out, buf, kSize)) {
  }
  _exit(0);
}

void pipe_pingpong(benchmark::State& state, PinPolicy pin, const PinCpus& cpus) {
  const PinPlan plan = plan_pins(pin, cpus);
  int to_child[2], to_parent[2];
  if (pipe(to_child) < 0 || pipe(to_parent) < 0) return state.SkipWithError("pipe failed");
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return state.SkipWithError("fork failed");
  if (pid == 0) {
    close(to_child[1]);
    close(to_parent[0]);
    echo_child(to_child[0], to_parent[1], plan.peer_cpu);
  }
  close(to_child[0]);
  close(to_parent[1]);
  {
    ScopedPin pinned(plan.main_cpu);
    char buf[kSize] = {};
    std::uint64_t seq = 0;
    for (auto _ : state) {
      std::memcpy(buf, &seq, sizeof seq);
      if (!io_exact(write_op, to_child[1], buf, kSize) ||
          !io_exact(read_op, to_parent[0], buf, kSize)) {
        state.SkipWithError("echo child went away");
        break;
      }
      std::uint64_t echoed;
      std::memcpy(&echoed, buf, sizeof echoed);
      if (echoed != seq++) {
        state.SkipWithError("echoed sequence number differs");
        break;
      }
    }
  }
  close(to_child[1]);  // EOF ends the child's loop
  close(to_parent[0]);
  waitpid(pid, nullptr, 0);
}

void register_reference(const RunSettings& run, BenchmarkSet& set) {
  for (PinPolicy pin : plan_of(run.profile, "ipc").pins) {
    if (pin == PinPolicy::none || !pin_policy_possible(pin)) continue;
    set.add(
        "ref/pipe_pingpong/pin:" + std::string(to_string(pin)) + "/size:64",
        [pin, cpus = run.cpus](benchmark::State& st) { pipe_pingpong(st, pin, cpus); },
        Timing::real);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("ref", &register_reference);

}  // namespace ipcbench
