// Test entry point: the same process-wide settings as build/ipcbench (SIGPIPE ignored), and
// Google Benchmark initialised with short run times for the tests that drive real benchmarks.
#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include <csignal>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  testing::InitGoogleTest(&argc, argv);
  static char arg0[] = "ipcbench_tests";
  static char min_time[] = "--benchmark_min_time=0.005";
  static char* bench_argv[] = {arg0, min_time, nullptr};
  int bench_argc = 2;
  benchmark::Initialize(&bench_argc, bench_argv);
  return RUN_ALL_TESTS();
}
