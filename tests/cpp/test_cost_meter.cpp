// os/cost_meter: what an end spent, counted exactly where the kernel counts exactly: a known number
// of system calls, sleeps and page faults shows up as at least that many (and not many more), a
// helper thread's CPU is counted and a harness thread's is not, and counts not made stay absent
// (-1).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <thread>

#include "base/clock.hpp"
#include "os/cost_meter.hpp"
#include "os/kernel_events.hpp"
#include "os/task_stats.hpp"

using namespace ipcbench;

namespace {

// Spins until the calling thread has used `ms` of CPU, however busy the machine is.
void spin_cpu_ms(int ms) {
  const std::int64_t end = thread_cpu_ns() + std::int64_t{ms} * 1'000'000;
  while (thread_cpu_ns() < end) {
  }
}

}  // namespace

TEST(CostMeter, CountsEachSystemCallOnce) {
  if (const auto& why = kernel_events_unavailable(); !why.empty()) GTEST_SKIP() << why;
  CostMeter meter({.helpers = false, .kernel_events = true});
  for (int i = 0; i < 1000; ++i) syscall(SYS_getppid);
  const EndCost cost = meter.stop();
  ASSERT_TRUE(cost.counted_events());
  EXPECT_GE(cost.syscalls, 1000);
  EXPECT_LE(cost.syscalls, 1000 + 20);  // the meter's own reads at its start and stop
  EXPECT_GE(cost.migrations, 0);
}

TEST(CostMeter, WithoutKernelEventsTheyAreAbsentNotZero) {
  CostMeter meter({});
  syscall(SYS_getppid);
  const EndCost cost = meter.stop();
  EXPECT_FALSE(cost.counted_events());
  EXPECT_EQ(cost.syscalls, -1);
  EndCost counted;
  counted.syscalls = 5;
  counted.migrations = 0;
  counted += cost;  // one end uncounted: the sum is not a count
  EXPECT_EQ(counted.syscalls, -1);
}

TEST(CostMeter, EachSleepIsAVoluntarySwitch) {
  CostMeter meter({});
  for (int i = 0; i < 20; ++i) {
    const timespec ms{0, 1'000'000};
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ms, nullptr);
  }
  const EndCost cost = meter.stop();
  EXPECT_GE(cost.stats.voluntary_switches, 20);
  EXPECT_LE(cost.stats.voluntary_switches, 20 + 5);
}

TEST(CostMeter, TouchingFreshPagesFaultsEachIn) {
  constexpr std::size_t kPages = 64;
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* p =
      mmap(nullptr, kPages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  CostMeter meter({});
  for (std::size_t i = 0; i < kPages; ++i) static_cast<volatile char*>(p)[i * page] = 1;
  const EndCost cost = meter.stop();
  munmap(p, kPages * page);
  EXPECT_GE(cost.stats.page_faults, static_cast<std::int64_t>(kPages));
  EXPECT_GE(cost.stats.cpu_ns,
            cost.stats.user_ns + cost.stats.system_ns - 5'000'000);  // tick split
}

TEST(CostMeter, CountsAHelperThreadsCpuButNotAHarnessThreads) {
  std::atomic<bool> go{false}, done{false};
  std::atomic<int> spun{0};
  // A library's helper (unnamed, as ZeroMQ's I/O thread is to us) and one of our own threads, both
  // alive from before the meter starts until after it stops, as a mechanism's helpers are.
  const auto work = [&] {
    while (!go) std::this_thread::yield();
    spin_cpu_ms(60);
    ++spun;
    while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  std::thread helper(work);
  std::thread ours([&] {
    name_harness_thread("test");
    work();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CostMeter meter({.helpers = true, .kernel_events = false});
  go = true;
  while (spun < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const EndCost cost = meter.stop();
  done = true;
  helper.join();
  ours.join();
  EXPECT_GE(cost.helper_cpu_ns, 60'000'000);   // the helper's 60 ms spin
  EXPECT_LT(cost.helper_cpu_ns, 100'000'000);  // and not ours besides
  EXPECT_GE(cost.stats.cpu_ns, cost.helper_cpu_ns);
}
