// Round trips under load (load_rtt/*): every network mechanism (and a pipe) runs a point with its
// replies verified; a stalled request sender shows in the corrected round trips and not in the
// uncorrected ones; a peer that corrupts a reply fails the point loudly instead of timing it.
#include <gtest/gtest.h>

#include "ipc/load_rtt.hpp"
#include "load_point.hpp"
#include "measure/counters.hpp"

using namespace ipcbench;
using namespace ipcbench::testing_load;

namespace {

// The relay's replies (side b's sends) arrive with one byte of their body flipped, from the 50th.
class CorruptingEndpoint : public Endpoint {
 public:
  explicit CorruptingEndpoint(std::unique_ptr<Endpoint> inner) : inner_(std::move(inner)) {}
  void send(std::span<const std::byte> msg) override {
    std::vector<std::byte> copy(msg.begin(), msg.end());
    if (++sent_ >= 50) copy.back() ^= std::byte{1};
    inner_->send(copy);
  }
  void recv(std::span<std::byte> msg) override { inner_->recv(msg); }

 private:
  std::unique_ptr<Endpoint> inner_;
  int sent_ = 0;
};

class CorruptingChannel : public Channel {
 public:
  explicit CorruptingChannel(std::unique_ptr<Channel> inner) : inner_(std::move(inner)) {}
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override {
    auto ep = inner_->open(side, peers);
    if (side == Side::a) return ep;
    return std::make_unique<CorruptingEndpoint>(std::move(ep));
  }

 private:
  std::unique_ptr<Channel> inner_;
};

LoadParams rtt_point(const MechanismInfo* t, LoadRate rate, double seconds) {
  LoadParams p{{t, 64, PeerKind::process, PinPolicy::none}, std::move(rate), seconds};
  p.ipc.duplex = true;
  return p;
}

}  // namespace

TEST(LoadRtt, EveryNetworkMechanismAndAPipeRunRoundTripsUnderLoad) {
  for (const char* name : {"tcp", "udp", "zmq.tcp", "pipe"}) {
    const auto run = run_point(&run_load_rtt, std::string("load_rtt_every_") + name[0] + name[1],
                               rtt_point(find_mechanism(name), {"5k", 5000, 0}, 0.04));
    ASSERT_FALSE(run.error_occurred) << name << ": " << run.error_message;
    EXPECT_EQ(counter(run, counters::kMessages), 200) << name;
    EXPECT_GT(counter(run, counters::kP50), 0) << name;
    EXPECT_LE(counter(run, counters::kP50), counter(run, counters::kP90)) << name;
    // 200 round trips: a p90 (it needs 100), no p99 (it needs 1,000).
    EXPECT_EQ(run.counters.count(counters::kP99), 0U) << name;
    EXPECT_GT(counter(run, counters::kCapacityRate), 0) << name;
    EXPECT_GT(counter(run, counters::kCpuPerMsgPeer), 0) << name;
    EXPECT_DOUBLE_EQ(counter(run, counters::kOfferedRate), 5000) << name;
  }
}

// As the load test's stall, from our own request sender: 5k round trips/s for 0.4 s, a 20 ms
// stall about 150 ms in. The ~100 requests due during it leave at once after it: their corrected
// round trips run from ~20 ms down, while timed from their actual send they are ordinary.
TEST(LoadRtt, AStalledRequestSenderShowsInCorrectedRoundTripsOnly) {
  static MechanismInfo info = *find_mechanism("pipe");
  const MechanismInfo* pipe = find_mechanism("pipe");
  info.name = "stalling_pipe_rtt";
  info.create = [pipe](const ChannelOptions& o) {
    return std::make_unique<StallingChannel>(pipe->create(o), Side::a);
  };
  const auto run =
      run_point(&run_load_rtt, "load_rtt_stall", rtt_point(&info, {"5k", 5000, 0}, 0.4));
  ASSERT_FALSE(run.error_occurred) << run.error_message;
  EXPECT_NEAR(counter(run, counters::kMessages), 2000, 1);
  EXPECT_GE(counter(run, counters::kMax), 20 * kMs);
  EXPECT_GE(counter(run, counters::kP99), 14.5 * kMs);
  EXPECT_LT(counter(run, counters::kP90), 5 * kMs);
  EXPECT_LT(counter(run, counters::kUncorrectedP99), counter(run, counters::kP99) / 2);
  EXPECT_GE(counter(run, counters::kSenderLagMax), 19 * kMs);
}

TEST(LoadRtt, ACorruptedReplyFailsThePointLoudly) {
  static MechanismInfo info = *find_mechanism("pipe");
  const MechanismInfo* pipe = find_mechanism("pipe");
  info.name = "corrupting_pipe";
  info.create = [pipe](const ChannelOptions& o) {
    return std::make_unique<CorruptingChannel>(pipe->create(o));
  };
  const auto run =
      run_point(&run_load_rtt, "load_rtt_corrupt", rtt_point(&info, {"5k", 5000, 0}, 0.1));
  ASSERT_TRUE(run.error_occurred);
  EXPECT_NE(run.error_message.find("corrupting_pipe"), std::string::npos) << run.error_message;
  EXPECT_NE(run.error_message.find("checksum"), std::string::npos) << run.error_message;
}
