// Every registered mechanism, both peer kinds, sizes 1 B..1 MiB: messages arrive whole, in order
// and intact, and a peer's death closes the channel instead of hanging it.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/skip.hpp"
#include "channel/mechanism.hpp"
#include "measure/payload.hpp"
#include "named_objects.hpp"
#include "os/peer.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

using namespace ipcbench;
using namespace std::chrono_literals;

namespace {

const std::size_t kMessageSizes[] = {1, 7, 8, 64, 4096, 65536, 65537, 262144, 1 << 20};
constexpr int kMessages = 5;

struct Case {
  const MechanismInfo* mechanism;
  PeerKind peer;
};

// gtest prints parameters in test listings; show the mechanism instead of raw bytes.
[[maybe_unused]] void PrintTo(const Case& c, std::ostream* os) {
  *os << c.mechanism->name << "/" << to_string(c.peer);
}

std::vector<Case> cases_for(std::initializer_list<PeerKind> kinds) {
  std::vector<Case> cases;
  for (const auto& t : all_mechanisms()) {
    for (auto kind : kinds) {
      if (t.supports(kind)) cases.push_back({&t, kind});
    }
  }
  return cases;
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.mechanism->name + "_" + std::string(to_string(info.param.peer));
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// A channel for `size`, or null when the mechanism or this machine cannot carry it. A kernel
// limit (e.g. msgsize_max 8192) may stop large sizes, never the small ones, and the reason must
// say how to raise it.
std::unique_ptr<Channel> create_unless_limited(const MechanismInfo& t, std::size_t size,
                                               PeerKind kind) {
  if (size > t.caps.max_message_size) return nullptr;
  try {
    return t.create({size, kind});
  } catch (const LimitError& e) {
    EXPECT_GT(size, 4096u) << e.what();
    EXPECT_NE(std::string(e.what()).find("raise"), std::string::npos) << e.what();
    return nullptr;
  }
}

class MechanismTest : public testing::TestWithParam<Case> {};
// Only a process peer can be killed, so the death tests run on those alone.
class ProcessMechanismTest : public testing::TestWithParam<Case> {};

}  // namespace

TEST(MechanismRegistry, HasTheFirstMechanisms) {
  EXPECT_NE(find_mechanism("pipe"), nullptr);
  for (const char* name : {"socketpair", "fifo", "unix", "tcp"}) {
    EXPECT_NE(find_mechanism(name), nullptr) << name;
  }
  EXPECT_EQ(find_mechanism("carrier-pigeon"), nullptr);
}

// A counterpart is what the report sets a mechanism beside: it must exist, and not be itself.
TEST(MechanismRegistry, EveryCounterpartIsARegisteredMechanism) {
  int zero_copy = 0;
  for (const auto& t : all_mechanisms()) {
    const std::string counterpart = t.facts.counterpart;
    zero_copy += t.facts.zero_copy;
    if (t.facts.zero_copy) {
      EXPECT_FALSE(counterpart.empty()) << t.name;
    }
    if (counterpart.empty()) continue;
    EXPECT_NE(find_mechanism(counterpart), nullptr) << t.name << " -> " << counterpart;
    EXPECT_NE(counterpart, t.name);
  }
  EXPECT_GE(zero_copy, 3);  // memfd, vmsplice, cma
}

// The zero-copy mechanisms are measured up to 16 MiB: a stream of them arrives intact, each side
// a process or a thread.
TEST(ZeroCopy, LargestMessagesRoundTripWithBothPeerKinds) {
  constexpr std::size_t kSize = std::size_t{16} << 20;
  for (const auto& t : all_mechanisms()) {
    if (!t.facts.zero_copy) continue;
    for (PeerKind kind : {PeerKind::process, PeerKind::thread}) {
      auto channel = t.create({kSize, kind});
      Peer peer = Peer::start(kind, std::nullopt, [&] {
        auto ep = channel->open(Side::b, kind);
        std::vector<std::byte> buf(kSize);
        for (int i = 0; i < 3; ++i) {
          verify_payload(ep->recv_view(buf), static_cast<std::uint64_t>(i));
        }
        ep->send(PayloadSource(8).stamp(3));
        return PeerReport{.messages = 3};
      });
      auto ep = channel->open(Side::a, kind);
      PayloadSource src(kSize);
      for (int i = 0; i < 3; ++i) ep->send(src.stamp(static_cast<std::uint64_t>(i)));
      std::vector<std::byte> ack(8);
      ep->recv(ack);
      EXPECT_NO_THROW(verify_payload(ack, 3)) << t.name;
      EXPECT_EQ(peer.join(20000ms).messages, 3u) << t.name;
    }
  }
}

TEST_P(MechanismTest, RoundTripsEverySize) {
  const auto [mechanism, kind] = GetParam();
  for (std::size_t size : kMessageSizes) {
    auto channel = create_unless_limited(*mechanism, size, kind);
    if (!channel) continue;
    Peer peer = Peer::start(kind, std::nullopt, [&] {
      auto ep = channel->open(Side::b, kind);
      std::vector<std::byte> buf(size);
      for (int i = 0; i < kMessages; ++i) {
        ep->recv(buf);
        verify_payload(buf, static_cast<std::uint64_t>(i));
        ep->send(buf);
      }
      return PeerReport{.messages = kMessages};
    });
    auto ep = channel->open(Side::a, kind);
    PayloadSource src(size);
    std::vector<std::byte> reply(size);
    for (int i = 0; i < kMessages; ++i) {
      ep->send(src.stamp(static_cast<std::uint64_t>(i)));
      ep->recv(reply);
      ASSERT_NO_THROW(verify_payload(reply, static_cast<std::uint64_t>(i))) << size;
    }
    EXPECT_EQ(peer.join(10000ms).messages, static_cast<std::uint64_t>(kMessages)) << size;
  }
}

// What the throughput driver does: a stream one way, the receiver taking messages in place
// (recv_view) and by copy in turn, so a view held while the sender keeps writing, a message
// wrapping round a ring's end (sizes that do not divide it) and a copy after a view are all used.
TEST_P(MechanismTest, StreamsReceivedInPlaceAndByCopy) {
  const auto [mechanism, kind] = GetParam();
  constexpr int kStream = 40;
  for (std::size_t size :
       {std::size_t{8}, std::size_t{3000}, std::size_t{65537}, std::size_t{1} << 20}) {
    auto channel = create_unless_limited(*mechanism, size, kind);
    if (!channel) continue;
    Peer peer = Peer::start(kind, std::nullopt, [&] {
      auto ep = channel->open(Side::b, kind);
      PayloadSource src(size);
      for (int i = 0; i < kStream; ++i) ep->send(src.stamp(static_cast<std::uint64_t>(i)));
      std::vector<std::byte> ack(8);
      ep->recv(ack);
      return PeerReport{.messages = kStream};
    });
    auto ep = channel->open(Side::a, kind);
    std::vector<std::byte> buf(size);
    for (int i = 0; i < kStream; ++i) {
      const auto seq = static_cast<std::uint64_t>(i);
      if (i % 3 == 2) {
        ep->recv(buf);
        ASSERT_NO_THROW(verify_payload(buf, seq)) << size << " copy " << i;
      } else {
        ASSERT_NO_THROW(verify_payload(ep->recv_view(buf), seq)) << size << " view " << i;
      }
    }
    PayloadSource acks(8);
    ep->send(acks.stamp(0));
    EXPECT_EQ(peer.join(10000ms).messages, static_cast<std::uint64_t>(kStream)) << size;
  }
}

TEST_P(MechanismTest, ChannelLeavesNoObjectsBehind) {
  const auto [mechanism, kind] = GetParam();
  const std::size_t before = registered_resource_count();
  const SystemObjects system_before = SystemObjects::now(getpid());
  {
    auto channel = mechanism->create({64, kind});
    Peer peer = Peer::start(kind, std::nullopt, [&] {
      auto ep = channel->open(Side::b, kind);
      std::vector<std::byte> buf(8);
      ep->recv(buf);
      return PeerReport{};
    });
    auto ep = channel->open(Side::a, kind);
    PayloadSource src(8);
    ep->send(src.stamp(0));
    peer.join(5000ms);
  }
  // Every socket path, FIFO, private directory, SysV object and descriptor went with the channel,
  // as the system itself shows, and the registry forgot them.
  EXPECT_EQ(SystemObjects::now(getpid()).added_since(system_before), std::vector<std::string>{});
  EXPECT_EQ(registered_resource_count(), before);
}

TEST_P(MechanismTest, FanOutLeavesNoObjectsBehind) {
  const auto [mechanism, kind] = GetParam();
  if (!mechanism->supports_fan_out()) GTEST_SKIP() << mechanism->name << " has no fan-out";
  const std::size_t before = registered_resource_count();
  const SystemObjects system_before = SystemObjects::now(getpid());
  {
    ChannelOptions options{64, kind};
    options.consumers = 3;
    auto channel = mechanism->create(options);
    std::vector<Peer> peers;
    for (int i = 0; i < 3; ++i) {
      peers.push_back(Peer::start(kind, std::nullopt, [&, i] {
        auto ep = channel->open_consumer(i, kind);
        std::vector<std::byte> buf(8);
        ep->recv(buf);
        verify_payload(buf, 0);
        return PeerReport{};
      }));
    }
    auto ep = channel->open(Side::a, kind);
    PayloadSource src(8);
    ep->send(src.stamp(0));
    for (auto& p : peers) p.join(5000ms);
  }
  EXPECT_EQ(SystemObjects::now(getpid()).added_since(system_before), std::vector<std::string>{});
  EXPECT_EQ(registered_resource_count(), before);
}

namespace {

// Our named objects (POSIX shm, queues, private directories and what is inside them) and the
// mode bits each has beyond the owner's.
std::vector<std::pair<std::string, unsigned>> our_named_objects() {
  std::vector<std::pair<std::string, unsigned>> out;
  for (const auto& path : named_objects_of(getpid())) {
    const auto status = std::filesystem::symlink_status(path);
    out.emplace_back(path, static_cast<unsigned>(status.permissions()));
    if (!std::filesystem::is_directory(status)) continue;
    for (const auto& inner : std::filesystem::recursive_directory_iterator(path)) {
      out.emplace_back(inner.path(), static_cast<unsigned>(inner.symlink_status().permissions()));
    }
  }
  return out;
}

// Local addresses ("0100007F:9C40") of the TCP sockets this process holds.
std::vector<std::string> our_tcp_addresses() {
  std::set<std::string> inodes;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (target.rfind("socket:[", 0) == 0) inodes.insert(target.substr(8, target.size() - 9));
  }
  std::vector<std::string> out;
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string slot, local, remote, state, queues, timer, retr, uid, timeout, inode;
    f >> slot >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >> inode;
    if (inodes.count(inode)) out.push_back(local);
  }
  return out;
}

}  // namespace

TEST_P(MechanismTest, ObjectsArePrivateUnpredictableAndLocal) {
  const auto [mechanism, kind] = GetParam();
  const auto sysv_before = sysv_objects();
  auto channel = mechanism->create({64, kind});
  for (const auto& [path, mode] : our_named_objects()) {
    EXPECT_EQ(mode & 077u, 0u) << path << " is open to others: mode " << std::oct << mode;
    // ipcbench-<pid>-<random>-...: 48 random bits (12 hex digits) nobody can guess in advance.
    const std::string name = std::filesystem::path(path).filename();
    const std::regex unpredictable("ipcbench-[0-9]+-[0-9a-f]{12}.*");
    if (name.rfind("ipcbench-", 0) == 0) {
      EXPECT_TRUE(std::regex_match(name, unpredictable)) << name;
    }
  }
  for (const auto& [id, perms] : sysv_objects()) {
    if (!sysv_before.count(id)) {
      EXPECT_EQ(perms, "600") << id;
    }
  }
  for (const auto& local : our_tcp_addresses()) {
    EXPECT_EQ(local.substr(0, 8), "0100007F") << "bound beyond loopback: " << local;
  }
}

TEST_P(ProcessMechanismTest, PeerDeathClosesTheChannel) {
  const auto [mechanism, kind] = GetParam();
  auto channel = mechanism->create({64, kind});
  Peer peer = Peer::start(kind, std::nullopt, [&]() -> PeerReport {
    auto ep = channel->open(Side::b, kind);
    raise(SIGKILL);
    return {};
  });
  // As in a benchmark: the watchdog watches the peer, so mechanisms without a kernel-visible
  // close (shared memory, message queues) also notice the death within a tick.
  StallWatchdog watchdog(5000ms);
  watchdog.watch_process(peer.pid());
  auto ep = channel->open(Side::a, kind);
  std::vector<std::byte> buf(64);
  EXPECT_THROW(ep->recv(buf), ChannelClosed);
  EXPECT_THROW(peer.join(5000ms), PeerError);
}

INSTANTIATE_TEST_SUITE_P(All, MechanismTest,
                         testing::ValuesIn(cases_for({PeerKind::process, PeerKind::thread})),
                         case_name);
INSTANTIATE_TEST_SUITE_P(All, ProcessMechanismTest,
                         testing::ValuesIn(cases_for({PeerKind::process})), case_name);
