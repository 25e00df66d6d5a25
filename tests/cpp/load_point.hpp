// What the load tests share: one load point run through Google Benchmark with its counters read
// back, and a channel whose sender stalls once, as a descheduled or stopped sender would.
#pragma once

#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.hpp"
#include "ipc/load.hpp"

namespace ipcbench::testing_load {

using namespace std::chrono_literals;

// The sender's endpoint stalls once, `after` into its sends, for `stall`: a peer descheduled or
// paused mid-run, as a stopped process or a page fault would do it.
class StallingEndpoint : public Endpoint {
 public:
  StallingEndpoint(std::unique_ptr<Endpoint> inner, std::chrono::milliseconds after,
                   std::chrono::milliseconds stall)
      : inner_(std::move(inner)), after_(after), stall_(stall) {}
  void send(std::span<const std::byte> msg) override {
    const std::int64_t now = monotonic_ns();
    if (first_ == 0) first_ = now;
    if (!stalled_ && now - first_ >= std::chrono::nanoseconds(after_).count()) {
      stalled_ = true;
      std::this_thread::sleep_for(stall_);
    }
    inner_->send(msg);
  }
  void recv(std::span<std::byte> msg) override { inner_->recv(msg); }

 private:
  std::unique_ptr<Endpoint> inner_;
  std::chrono::milliseconds after_, stall_;
  std::int64_t first_ = 0;
  bool stalled_ = false;
};

// The sending side (`sender`: b for load/*, whose peer sends; a for load_rtt/*, whose requests
// leave from our side) stalls once.
class StallingChannel : public Channel {
 public:
  StallingChannel(std::unique_ptr<Channel> inner, Side sender)
      : inner_(std::move(inner)), sender_(sender) {}
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override {
    auto ep = inner_->open(side, peers);
    if (side != sender_) return ep;
    return std::make_unique<StallingEndpoint>(std::move(ep), 150ms, 20ms);
  }

 private:
  std::unique_ptr<Channel> inner_;
  Side sender_;
};

constexpr double kMs = 1e6;

class Capture : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& r) override {
    runs.insert(runs.end(), r.begin(), r.end());
  }
  std::vector<Run> runs;
};

using LoadDriver = void (*)(benchmark::State&, const LoadParams&);

// Runs one load point with `driver` (run_load, run_load_rtt) through Google Benchmark.
inline benchmark::BenchmarkReporter::Run run_point(LoadDriver driver, const std::string& name,
                                                   const LoadParams& params) {
  benchmark::RegisterBenchmark(name.c_str(),
                               [params, driver](benchmark::State& st) { driver(st, params); })
      ->UseManualTime()
      ->Iterations(1);
  Capture capture;
  benchmark::RunSpecifiedBenchmarks(&capture, "^" + name + "(/|$)");
  EXPECT_EQ(capture.runs.size(), 1u) << name;
  return capture.runs.empty() ? benchmark::BenchmarkReporter::Run{} : capture.runs[0];
}

inline double counter(const benchmark::BenchmarkReporter::Run& run, const char* name) {
  const auto it = run.counters.find(name);
  EXPECT_NE(it, run.counters.end()) << name;
  return it == run.counters.end() ? -1 : it->second.value;
}

}  // namespace ipcbench::testing_load
