// spawn/*: the cost to create and reap one worker, every way a C++ program can: fork+waitpid,
// vfork+_exit, posix_spawn and fork+exec of a tiny static program, clone(CLONE_VM), and
// pthread_create, std::thread and std::async with their joins. Each child proves it ran (an exit
// code or a returned value that changes every iteration). The heap:... variants repeat fork,
// posix_spawn and pthread_create in a parent holding a large touched heap: fork copies the page
// tables, the others do not.
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "base/system_error.hpp"
#include "base/units.hpp"
#include "bench/families.hpp"
#include "bench/report_counters.hpp"
#include "bench/skip.hpp"
#include "bench/workload_guard.hpp"
#include "measure/counters.hpp"
#include "os/task_stats.hpp"

extern char** environ;

namespace ipcbench {
namespace {

using Spawner = std::uint64_t (*)(std::uint64_t seq);

std::uint64_t code_for(std::uint64_t seq) { return seq & 0x7f; }

std::uint64_t reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) check_syscall(-1, "waitpid");
  }
  if (!WIFEXITED(status)) throw std::runtime_error("child did not exit normally");
  return static_cast<std::uint64_t>(WEXITSTATUS(status));
}

std::uint64_t fork_wait(std::uint64_t seq) {
  const pid_t pid = check_syscall(fork(), "fork");
  if (pid == 0) _exit(static_cast<int>(code_for(seq)));
  return reap(pid);
}

std::uint64_t vfork_exit(std::uint64_t seq) {
  const int code = static_cast<int>(code_for(seq));
  const pid_t pid = check_syscall(vfork(), "vfork");
  if (pid == 0) _exit(code);
  return reap(pid);
}

// The tiny program sits next to the ipcbench binary (CMake builds both into one directory).
const std::string& exit_with_path() {
  static const std::string path = [] {
    auto p = std::filesystem::read_symlink("/proc/self/exe").parent_path() / "ipcbench-exit-with";
    if (access(p.c_str(), X_OK) != 0) {
      throw LimitError(p.string() +
                       " is missing; build it with `make build` (target "
                       "ipcbench-exit-with)");
    }
    return p.string();
  }();
  return path;
}

std::uint64_t posix_spawn_wait(std::uint64_t seq) {
  std::string code = std::to_string(code_for(seq));
  char* argv[] = {const_cast<char*>(exit_with_path().c_str()), code.data(), nullptr};
  pid_t pid = 0;
  check_errno_result(posix_spawn(&pid, argv[0], nullptr, nullptr, argv, environ), "posix_spawn");
  return reap(pid);
}

std::uint64_t fork_exec_wait(std::uint64_t seq) {
  std::string code = std::to_string(code_for(seq));
  char* argv[] = {const_cast<char*>(exit_with_path().c_str()), code.data(), nullptr};
  const pid_t pid = check_syscall(fork(), "fork");
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  return reap(pid);
}

std::uint64_t clone_vm_wait(std::uint64_t seq) {
#if defined(__SANITIZE_THREAD__)
  // A raw clone(CLONE_VM) child runs on our stack buffer with no ThreadSanitizer state, and the
  // runtime overflows it: the benchmark cannot run in a -fsanitize=thread build (make
  // test-sanitize).
  (void)seq;
  throw LimitError(
      "a clone(CLONE_VM) child has no ThreadSanitizer state, so this cannot run "
      "under -fsanitize=thread; use the normal build");
#endif
  // The child shares our memory: it writes its answer straight into `result`.
  static std::vector<char> stack(64 * 1024);
  struct Arg {
    std::uint64_t seq, result;
  } arg{seq, 0};
  auto child = [](void* p) -> int {
    auto* a = static_cast<Arg*>(p);
    a->result = code_for(a->seq);
    return 0;
  };
  const pid_t pid =
      check_syscall(clone(child, stack.data() + stack.size(), CLONE_VM | SIGCHLD, &arg), "clone");
  if (reap(pid) != 0) throw std::runtime_error("clone child failed");
  return arg.result;
}

std::uint64_t pthread_join_value(std::uint64_t seq) {
  pthread_t thread;
  auto fn = [](void* p) -> void* {
    return reinterpret_cast<void*>(code_for(reinterpret_cast<std::uintptr_t>(p)));
  };
  check_errno_result(pthread_create(&thread, nullptr, fn, reinterpret_cast<void*>(seq)),
                     "pthread_create");
  void* result = nullptr;
  pthread_join(thread, &result);
  return reinterpret_cast<std::uintptr_t>(result);
}

std::uint64_t std_thread_join(std::uint64_t seq) {
  std::uint64_t result = 0;
  std::thread([&] { result = code_for(seq); }).join();
  return result;
}

std::uint64_t std_async_get(std::uint64_t seq) {
  return std::async(std::launch::async, [seq] { return code_for(seq); }).get();
}

// This process's resident set: what fork has to copy page tables for.
double resident_bytes() {
  long pages = 0, resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

void measure_spawn(benchmark::State& state, Spawner spawn, std::size_t heap_bytes) {
  // Give memory freed by earlier benchmarks back first, so fork's cost does not depend on what
  // ran before it; parent_rss_bytes reports what the parent still held.
  malloc_trim(0);
  // Zero-initialised, so every page is touched and mapped before the clock starts.
  const std::vector<char> heap(heap_bytes);
  state.counters[counters::kParentRss] = resident_bytes();
  std::uint64_t seq = 0;
  const TaskStats start = process_and_children_stats();
  for (auto _ : state) {
    const std::uint64_t got = spawn(seq);
    if (got != code_for(seq)) {
      throw std::runtime_error("worker " + std::to_string(seq) + " reported " +
                               std::to_string(got) + ", expected " + std::to_string(code_for(seq)));
    }
    ++seq;
  }
  TaskStats spent = process_and_children_stats();
  spent -= start;
  report_costs_per_op(state, spent, static_cast<double>(seq));
  state.counters[counters::kHeapBytes] = static_cast<double>(heap.size());
}

void register_spawn(const RunSettings& run, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  struct Way {
    const char* name;
    Spawner spawn;
    bool with_heap;
  };
  const Way ways[] = {{"fork", fork_wait, true},
                      {"vfork", vfork_exit, false},
                      {"posix_spawn", posix_spawn_wait, true},
                      {"fork_exec", fork_exec_wait, false},
                      {"clone_vm", clone_vm_wait, false},
                      {"pthread", pthread_join_value, true},
                      {"std_thread", std_thread_join, false},
                      {"std_async", std_async_get, false}};
  auto add = [&set](const std::string& name, Spawner spawn, std::size_t heap) {
    set.add(
        name,
        [=](benchmark::State& state) {
          run_workload(state, name, [&] { measure_spawn(state, spawn, heap); });
        },
        Timing::real);
  };
  for (const Way& w : ways) add(std::string("spawn/") + w.name, w.spawn, 0);
  const std::size_t heap_bytes = plan_of<SpawnPlan>(profile, "spawn").heap_bytes;
  const std::size_t mib = heap_bytes >> 20;
  const std::string heap = "/heap:" + (mib % 1024 == 0 ? std::to_string(mib / 1024) + "GiB"
                                                       : std::to_string(mib) + "MiB");
  for (const Way& w : ways) {
    if (w.with_heap) add(std::string("spawn/") + w.name + heap, w.spawn, heap_bytes);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("spawn", &register_spawn);
// Quick runs and CI hold 64 MiB instead of SpawnPlan's 1 GiB.
IPCBENCH_REGISTER_PLANS("quick", {{"spawn", SpawnPlan{.heap_bytes = 64 * MiB}}});
IPCBENCH_REGISTER_PLANS("ci", {{"spawn", SpawnPlan{.heap_bytes = 64 * MiB}}});

}  // namespace ipcbench
