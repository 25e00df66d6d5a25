// The latency and throughput drivers run under Google Benchmark exactly as in build/ipcbench,
// on a pipe with faults injected on the peer's side: every fault must fail the benchmark with a
// message naming it, and a healthy run must publish every counter.
#include <benchmark/benchmark.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "ipc/fan_in.hpp"
#include "ipc/fan_out.hpp"
#include "ipc/latency.hpp"
#include "ipc/throughput.hpp"
#include "measure/counters.hpp"
#include "measure/percentile_rule.hpp"

using namespace ipcbench;
using namespace std::chrono_literals;

namespace {

enum class Fault { none, corrupt, drop, duplicate, crash, hang };

// Misbehaves on the peer's `at`-th receive, as a broken mechanism or a dying peer would.
class FaultyEndpoint : public Endpoint {
 public:
  FaultyEndpoint(std::unique_ptr<Endpoint> inner, Fault fault, int at)
      : inner_(std::move(inner)), fault_(fault), at_(at) {}
  void send(std::span<const std::byte> msg) override { inner_->send(msg); }
  void recv(std::span<std::byte> msg) override {
    if (++count_ != at_ || fault_ == Fault::duplicate) {
      if (count_ == at_) return;  // duplicate: hand back the previous message again
      inner_->recv(msg);
      return;
    }
    switch (fault_) {
      case Fault::corrupt:
        inner_->recv(msg);
        msg[msg.size() - 1] ^= std::byte{0x40};
        break;
      case Fault::drop:
        inner_->recv(msg);
        inner_->recv(msg);
        break;
      case Fault::crash:
        raise(SIGKILL);
        break;
      case Fault::hang:
        for (;;) pause();
      default:
        inner_->recv(msg);
    }
  }

 private:
  std::unique_ptr<Endpoint> inner_;
  Fault fault_;
  int at_;
  int count_ = 0;
};

// Misbehaves on a producer's `at`-th send (fan-in producers never receive).
class FaultySender : public Endpoint {
 public:
  FaultySender(std::unique_ptr<Endpoint> inner, Fault fault, int at)
      : inner_(std::move(inner)), fault_(fault), at_(at) {}
  void recv(std::span<std::byte> msg) override { inner_->recv(msg); }
  void send(std::span<const std::byte> msg) override {
    if (++count_ != at_) return inner_->send(msg);
    std::vector<std::byte> copy(msg.begin(), msg.end());
    switch (fault_) {
      case Fault::corrupt:
        copy.back() ^= std::byte{0x40};
        return inner_->send(copy);
      case Fault::drop:
        return;
      case Fault::duplicate:
        inner_->send(msg);
        return inner_->send(msg);
      default:
        return inner_->send(msg);
    }
  }

 private:
  std::unique_ptr<Endpoint> inner_;
  Fault fault_;
  int at_;
  int count_ = 0;
};

class FaultyChannel : public Channel {
 public:
  FaultyChannel(std::unique_ptr<Channel> inner, Fault fault, int at)
      : inner_(std::move(inner)), fault_(fault), at_(at) {}
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override {
    auto ep = inner_->open(side, peers);
    if (side == Side::a) return ep;
    return std::make_unique<FaultyEndpoint>(std::move(ep), fault_, at_);
  }
  // In fan-in only producer 1 misbehaves: the consumer must name it.
  std::unique_ptr<Endpoint> open_producer(int index, PeerKind peers) override {
    auto ep = inner_->open_producer(index, peers);
    if (index != 1) return ep;
    return std::make_unique<FaultySender>(std::move(ep), fault_, at_);
  }
  // In fan-out only consumer 1 misbehaves (misses, repeats or corrupts a message, or dies).
  std::unique_ptr<Endpoint> open_consumer(int index, PeerKind peers) override {
    auto ep = inner_->open_consumer(index, peers);
    if (index != 1) return ep;
    return std::make_unique<FaultyEndpoint>(std::move(ep), fault_, at_);
  }

 private:
  std::unique_ptr<Channel> inner_;
  Fault fault_;
  int at_;
};

class CaptureReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    this->runs.insert(this->runs.end(), runs.begin(), runs.end());
  }
  std::vector<Run> runs;
};

using Driver = void (*)(benchmark::State&, const IpcParams&);

benchmark::BenchmarkReporter::Run run_once(const std::string& name, Driver driver, Fault fault,
                                           PeerKind peer, std::size_t size = 64, int producers = 0,
                                           const char* mechanism = "pipe", int consumers = 0) {
  static std::vector<std::unique_ptr<MechanismInfo>> keep_alive;
  const MechanismInfo* base = find_mechanism(mechanism);
  auto info = std::make_unique<MechanismInfo>(*base);
  info->name = "faulty_" + base->name;
  info->create = [base, fault](const ChannelOptions& o) {
    return std::make_unique<FaultyChannel>(base->create(o), fault, 3);
  };
  // A short peer timeout: the fault tests wait for it.
  const IpcParams params{info.get(), size, peer, PinPolicy::none, producers, consumers, 1000ms};
  keep_alive.push_back(std::move(info));
  benchmark::RegisterBenchmark(name.c_str(), [params, driver](benchmark::State& st) {
    driver(st, params);
  })->UseManualTime();
  CaptureReporter reporter;
  // Google Benchmark appends "/manual_time" to the registered name.
  benchmark::RunSpecifiedBenchmarks(&reporter, "^" + name + "(/|$)");
  EXPECT_EQ(reporter.runs.size(), 1u);
  return reporter.runs.empty() ? benchmark::BenchmarkReporter::Run{} : reporter.runs[0];
}

void expect_failure(const benchmark::BenchmarkReporter::Run& run, const std::string& needle) {
  EXPECT_TRUE(run.error_occurred) << "a faulty run reported a speed";
  EXPECT_NE(run.error_message.find(needle), std::string::npos) << run.error_message;
  EXPECT_NE(run.error_message.find("ipc/faulty_"), std::string::npos) << run.error_message;
}

class DriverTest : public testing::Test {};

}  // namespace

TEST_F(DriverTest, HealthyLatencyPublishesPercentilesAndCpuCost) {
  for (auto kind : {PeerKind::process, PeerKind::thread}) {
    const auto run = run_once("healthy_latency_" + std::string(to_string(kind)), &run_latency,
                              Fault::none, kind);
    ASSERT_FALSE(run.error_occurred) << run.error_message;
    EXPECT_GT(run.iterations, 0);
    EXPECT_GT(run.real_accumulated_time, 0);
    for (const char* c : {counters::kP50, counters::kMax, counters::kCpuPerMsg,
                          counters::kCpuPerMsgMain, counters::kCpuPerMsgPeer}) {
      ASSERT_TRUE(run.counters.count(c)) << c;
      EXPECT_GT(run.counters.at(c).value, 0) << c;
    }
    // A percentile is there exactly when its samples are: ten beyond it.
    const double samples = run.counters.at(counters::kSamples).value;
    EXPECT_EQ(samples, static_cast<double>(run.iterations));
    for (const auto& p : reported_percentiles()) {
      const bool sampled = samples >= static_cast<double>(samples_needed(p.q));
      EXPECT_EQ(run.counters.count(p.counter), sampled ? 1U : 0U) << p.label << " at " << samples;
      if (!sampled) continue;
      EXPECT_LE(run.counters.at(p.counter).value, run.counters.at(counters::kMax).value);
      EXPECT_LE(run.counters.at(counters::lo_of(p.counter)).value,
                run.counters.at(p.counter).value);
    }
  }
}

TEST_F(DriverTest, HealthyThroughputCountsBytesAndItems) {
  for (std::size_t size : {std::size_t{8}, std::size_t{1} << 20}) {
    const auto run = run_once("healthy_throughput_" + std::to_string(size), &run_throughput,
                              Fault::none, PeerKind::process, size);
    ASSERT_FALSE(run.error_occurred) << run.error_message;
    EXPECT_TRUE(run.counters.count(counters::kCpuPerMsg));
    // Google Benchmark turns SetBytesProcessed/SetItemsProcessed into these rate counters.
    EXPECT_TRUE(run.counters.count("bytes_per_second"));
    EXPECT_TRUE(run.counters.count("items_per_second"));
  }
}

TEST_F(DriverTest, CorruptedMessageFailsTheBenchmark) {
  expect_failure(run_once("corrupt_tp", &run_throughput, Fault::corrupt, PeerKind::process),
                 "checksum mismatch");
  expect_failure(run_once("corrupt_lat", &run_latency, Fault::corrupt, PeerKind::thread),
                 "checksum mismatch");
}

TEST_F(DriverTest, LostMessageFailsTheBenchmark) {
  expect_failure(run_once("drop_tp", &run_throughput, Fault::drop, PeerKind::process),
                 "lost or reordered");
}

TEST_F(DriverTest, DuplicatedMessageFailsTheBenchmark) {
  expect_failure(run_once("dup_tp", &run_throughput, Fault::duplicate, PeerKind::thread),
                 "duplicated or reordered");
}

TEST_F(DriverTest, PeerKilledMidRunIsNamed) {
  expect_failure(run_once("crash_lat", &run_latency, Fault::crash, PeerKind::process),
                 "killed by signal 9");
  expect_failure(run_once("crash_tp", &run_throughput, Fault::crash, PeerKind::process),
                 "killed by signal 9");
}

TEST_F(DriverTest, HungPeerIsDetectedWithinTheTimeout) {
  expect_failure(run_once("hang_lat", &run_latency, Fault::hang, PeerKind::process),
                 "no message moved for 1000 ms");
}

TEST_F(DriverTest, LostReplyInLatencyIsATimeoutNotAHang) {
  // The echo swallows a message, so both ends wait for each other: the watchdog must end it.
  expect_failure(run_once("drop_lat", &run_latency, Fault::drop, PeerKind::thread),
                 "no message moved");
}

TEST_F(DriverTest, HealthyFanInReceivesEveryProducersMessages) {
  for (PeerKind kind : {PeerKind::process, PeerKind::thread}) {
    const auto run = run_once("fan_in_ok_" + std::string(to_string(kind)), &run_fan_in, Fault::none,
                              kind, 64, 4);
    EXPECT_FALSE(run.error_occurred) << run.error_message;
    EXPECT_GT(run.counters.at("items_per_second").value, 0);
    EXPECT_GT(run.counters.at("cpu_ns_per_msg").value, 0);
  }
}

TEST_F(DriverTest, FanInNamesTheProducerThatLostOrDuplicatedAMessage) {
  expect_failure(run_once("fan_in_drop", &run_fan_in, Fault::drop, PeerKind::process, 64, 3),
                 "producer 1: expected message 2, got 3 (messages lost)");
  expect_failure(run_once("fan_in_dup", &run_fan_in, Fault::duplicate, PeerKind::thread, 64, 3),
                 "producer 1: expected message 3, got 2 (duplicated)");
  expect_failure(run_once("fan_in_corrupt", &run_fan_in, Fault::corrupt, PeerKind::thread, 64, 2),
                 "checksum");
}

// Every mechanism with fan-in, both peer kinds: all producers' messages arrive, and one lost by
// producer 1 is named. (A mechanism that drops what a finished producer left in flight fails
// the healthy run: ZeroMQ over ipc:// did until producers waited for the consumer.)
TEST_F(DriverTest, EveryFanInMechanismDeliversAllAndCatchesALoss) {
  int n = 0;
  for (const auto& t : all_mechanisms()) {
    if (!t.supports_fan_in()) continue;
    for (PeerKind kind : {PeerKind::process, PeerKind::thread}) {
      if (!t.supports(kind)) continue;
      std::string id = t.name + "_" + std::string(to_string(kind)) + "_" + std::to_string(n++);
      for (char& c : id) {
        if (c == '.') c = '_';
      }
      const auto ok =
          run_once("fan_in_all_" + id, &run_fan_in, Fault::none, kind, 64, 3, t.name.c_str());
      EXPECT_FALSE(ok.error_occurred) << t.name << " " << ok.error_message;
      expect_failure(
          run_once("fan_in_loss_" + id, &run_fan_in, Fault::drop, kind, 64, 3, t.name.c_str()),
          "producer 1: expected message 2, got 3 (messages lost)");
    }
  }
  EXPECT_GE(n, 10);  // pipe, fifo, the message sockets and queues, cv_queue, ZeroMQ
}

TEST_F(DriverTest, FanOutNamesTheConsumerThatMissedRepeatedOrLostAMessage) {
  expect_failure(
      run_once("fan_out_drop", &run_fan_out, Fault::drop, PeerKind::process, 64, 0, "pipe", 3),
      "consumer 1: process peer");
  expect_failure(
      run_once("fan_out_drop_msg", &run_fan_out, Fault::drop, PeerKind::thread, 64, 0, "pipe", 3),
      "message 2: got sequence number 3: messages were lost or reordered");
  expect_failure(
      run_once("fan_out_dup", &run_fan_out, Fault::duplicate, PeerKind::thread, 64, 0, "pipe", 3),
      "consumer 1: thread peer failed: message 2: got sequence number 1: an old message");
  expect_failure(
      run_once("fan_out_corrupt", &run_fan_out, Fault::corrupt, PeerKind::thread, 64, 0, "pipe", 2),
      "consumer 1: thread peer failed: message 2 (64 B): checksum mismatch");
}

TEST_F(DriverTest, FanOutNamesAKilledConsumer) {
  int n = 0;
  for (const char* mechanism : {"pipe", "shm_ring.futex", "shm_ring.spin", "zmq.ipc"}) {
    expect_failure(run_once("fan_out_crash_" + std::to_string(n++), &run_fan_out, Fault::crash,
                            PeerKind::process, 64, 0, mechanism, 3),
                   "consumer 1: process peer");
  }
}

// Every mechanism with fan-out, both peer kinds, every consumer count the default profile runs:
// each consumer receives every message, and a message consumer 1 misses is caught.
TEST_F(DriverTest, EveryFanOutMechanismDeliversAllAndCatchesALoss) {
  int n = 0;
  for (const auto& t : all_mechanisms()) {
    if (!t.supports_fan_out()) continue;
    for (PeerKind kind : {PeerKind::process, PeerKind::thread}) {
      if (!t.supports(kind)) continue;
      std::string id = t.name + "_" + std::string(to_string(kind)) + "_" + std::to_string(n++);
      for (char& c : id) {
        if (c == '.' || c == '+') c = '_';
      }
      for (int consumers : {1, 2, 8}) {
        for (std::size_t size : {std::size_t{64}, std::size_t{256 * 1024}}) {
          const std::string point =
              id + "_" + std::to_string(consumers) + "_" + std::to_string(size);
          const auto ok = run_once("fan_out_all_" + point, &run_fan_out, Fault::none, kind, size, 0,
                                   t.name.c_str(), consumers);
          EXPECT_FALSE(ok.error_occurred) << t.name << " " << consumers << " " << ok.error_message;
          if (!ok.error_occurred) {
            EXPECT_GT(ok.counters.at("cpu_ns_per_msg").value, 0);
          }
        }
      }
      expect_failure(
          run_once("fan_out_loss_" + id, &run_fan_out, Fault::drop, kind, 64, 0, t.name.c_str(), 3),
          "message 2: got sequence number 3");
    }
  }
  EXPECT_GE(n, 12);  // pipe and its variants, the four shared-memory rings, ZeroMQ
}
