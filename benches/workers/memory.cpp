// memory/*: what one more worker costs in memory. With 1 + n idle workers running, n more are
// started (threads of one process, or forked processes), and the resident (RSS) and proportional
// (PSS: shared pages split between their sharers) set sizes from /proc/<pid>/smaps_rollup are
// compared with before. Per thread: the growth of this process. Per process: the growth of the
// whole group (children plus this process, whose PSS falls as children share its pages), divided by
// n.
#include <fcntl.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/system_error.hpp"
#include "bench/families.hpp"
#include "bench/workload_guard.hpp"
#include "measure/counters.hpp"
#include "os/peer.hpp"
#include "os/shared_memory.hpp"

namespace ipcbench {
namespace {

struct SetSize {
  double rss = 0, pss = 0;  // bytes
};

// Read with plain read() into a stack buffer and parsed in place: the reading must not itself
// fault in new pages (iostreams and locales did, and showed up as ~650 KiB of phantom growth).
SetSize set_size(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/smaps_rollup";
  char text[4096];
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw LimitError(path + " is not readable (needs Linux 4.14 or later)");
  const ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  check_syscall(n, ("read " + path).c_str());
  text[n] = '\0';
  auto field = [&text](const char* key) {
    const char* at = std::strstr(text, key);
    return at ? std::strtod(at + std::strlen(key), nullptr) * 1024 : 0.0;
  };
  return {field("\nRss:"), field("\nPss:")};
}

struct Gate {
  std::atomic<int> ready{0};
  std::atomic<int> release{0};
};

// Idles until released, polling every millisecond: the cheapest wait that needs no fd.
PeerReport idle_worker(Gate& gate) {
  gate.ready.fetch_add(1);
  const timespec ms{0, 1'000'000};
  while (gate.release.load() == 0) nanosleep(&ms, nullptr);
  return {};
}

SetSize group_size(const std::vector<Peer>& workers, PeerKind kind) {
  SetSize total = set_size(getpid());
  if (kind == PeerKind::thread) return total;
  for (const auto& w : workers) {
    const SetSize s = set_size(w.pid());
    total.rss += s.rss;
    total.pss += s.pss;
  }
  return total;
}

void await_ready(const Gate& gate, int n) {
  while (gate.ready.load() < n) {
    const timespec tick{0, 100'000};
    nanosleep(&tick, nullptr);
  }
}

// Starts 1 + n idle workers, measures, then n more and measures again: returns the growth per
// extra worker. The first batch absorbs one-off costs (the first child's copied pages, stacks and
// arenas set up when a process first gets more threads), which otherwise would show up divided
// by n as if each worker paid them.
// spawn_ns is how long starting the second batch took.
SetSize growth_per_worker(PeerKind kind, int n, Gate& gate, std::int64_t& spawn_ns,
                          std::chrono::milliseconds timeout) {
  gate.ready = 0;
  gate.release = 0;
  std::vector<Peer> workers;
  struct Release {  // let the workers go however this scope ends
    Gate& g;
    ~Release() { g.release.store(1); }
  } release{gate};
  auto start_worker = [&] {
    workers.push_back(Peer::start(kind, std::nullopt, [&gate] { return idle_worker(gate); }));
  };
  for (int i = 0; i < 1 + n; ++i) start_worker();
  await_ready(gate, 1 + n);
  group_size(workers, kind);  // warms the measuring code's own pages
  const SetSize before = group_size(workers, kind);
  const std::int64_t start = monotonic_ns();
  for (int i = 0; i < n; ++i) start_worker();
  await_ready(gate, 1 + 2 * n);
  spawn_ns = monotonic_ns() - start;
  const SetSize after = group_size(workers, kind);
  gate.release.store(1);
  for (auto& w : workers) w.join(timeout);
  return {(after.rss - before.rss) / n, (after.pss - before.pss) / n};
}

// Threads are measured inside a freshly forked process: glibc caches the stacks of joined
// threads, so in a long-lived process a new thread often costs nothing new, and the first
// thread's real cost would be hidden.
SetSize thread_growth_in_fresh_process(int n, Gate& gate, std::int64_t& spawn_ns,
                                       std::chrono::milliseconds timeout) {
  struct Result {
    SetSize size;
    std::int64_t spawn_ns;
  };
  SharedMemory shm(sizeof(Result), "memory");
  auto* result = new (shm.data()) Result{};
  Peer measurer = Peer::start(PeerKind::process, std::nullopt, [&gate, n, result, timeout] {
    result->size = growth_per_worker(PeerKind::thread, n, gate, result->spawn_ns, timeout);
    return PeerReport{};
  });
  measurer.join(timeout);
  spawn_ns = result->spawn_ns;
  return result->size;
}

void measure_memory(benchmark::State& state, PeerKind kind, int n,
                    std::chrono::milliseconds timeout) {
  SharedMemory shm(sizeof(Gate), "memory");
  Gate* gate = new (shm.data()) Gate;
  double rss_sum = 0, pss_sum = 0;
  for (auto _ : state) {
    std::int64_t spawn_ns = 0;
    const SetSize grown = kind == PeerKind::thread
                              ? thread_growth_in_fresh_process(n, *gate, spawn_ns, timeout)
                              : growth_per_worker(kind, n, *gate, spawn_ns, timeout);
    state.SetIterationTime(static_cast<double>(spawn_ns) * 1e-9);
    rss_sum += grown.rss;
    pss_sum += grown.pss;
  }
  const double iterations = static_cast<double>(state.iterations());
  state.counters[counters::kRssPerWorker] = rss_sum / iterations;
  state.counters[counters::kPssPerWorker] = pss_sum / iterations;
  state.counters[counters::kWorkers] = n;
}

void register_memory(const RunSettings& run, BenchmarkSet& set) {
  const auto timeout = run.peer_timeout;
  for (const PeerKind kind : {PeerKind::thread, PeerKind::process}) {
    for (const int n : worker_counts(run.profile)) {
      const std::string name =
          "memory/workers:" + std::string(to_string(kind)) + "/n:" + std::to_string(n);
      set.add(
          name,
          [=](benchmark::State& state) {
            run_workload(state, name, [&] { measure_memory(state, kind, n, timeout); });
          },
          Timing::manual);
    }
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("memory", &register_memory);

}  // namespace ipcbench
