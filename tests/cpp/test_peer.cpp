#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "os/affinity.hpp"
#include "os/peer.hpp"

using namespace ipcbench;
using namespace std::chrono_literals;

namespace {

std::string join_error(Peer& peer, std::chrono::milliseconds timeout = 5000ms) {
  try {
    peer.join(timeout);
  } catch (const PeerError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Peer, ProcessReturnsItsReport) {
  const pid_t parent = getpid();
  Peer peer = Peer::start(PeerKind::process, std::nullopt, [parent] {
    // Runs in another process: report something only that process knows.
    return PeerReport{{}, static_cast<std::uint64_t>(getpid() != parent), 42};
  });
  EXPECT_GT(peer.pid(), 0);
  const auto report = peer.join(5000ms);
  EXPECT_EQ(report.value, 42u);
  EXPECT_EQ(report.messages, 1u);
}

TEST(Peer, ThreadReturnsItsReport) {
  const pid_t parent = getpid();
  Peer peer = Peer::start(PeerKind::thread, std::nullopt, [parent] {
    return PeerReport{{}, static_cast<std::uint64_t>(getpid() == parent), 7};
  });
  EXPECT_EQ(peer.pid(), 0);
  const auto report = peer.join(5000ms);
  EXPECT_EQ(report.value, 7u);
  EXPECT_EQ(report.messages, 1u);
}

TEST(Peer, ExceptionComesBackWithItsMessage) {
  for (auto kind : {PeerKind::process, PeerKind::thread}) {
    Peer peer = Peer::start(kind, std::nullopt, []() -> PeerReport {
      throw std::runtime_error("checksum mismatch in message 17");
    });
    const auto err = join_error(peer);
    EXPECT_NE(err.find("checksum mismatch in message 17"), std::string::npos) << err;
    EXPECT_NE(err.find(std::string(to_string(kind)) + " peer"), std::string::npos) << err;
  }
}

TEST(Peer, NonZeroExitIsReported) {
  Peer peer = Peer::start(PeerKind::process, std::nullopt, []() -> PeerReport { _exit(7); });
  EXPECT_NE(join_error(peer).find("exited with code 7"), std::string::npos);
}

TEST(Peer, SignalDeathIsReported) {
  Peer peer = Peer::start(PeerKind::process, std::nullopt, []() -> PeerReport {
    raise(SIGKILL);
    return {};
  });
  const auto err = join_error(peer);
  EXPECT_NE(err.find("killed by signal 9"), std::string::npos) << err;
}

TEST(Peer, HungProcessIsKilledAtTheTimeout) {
  Peer peer = Peer::start(PeerKind::process, std::nullopt, []() -> PeerReport {
    for (;;) pause();
  });
  const pid_t pid = peer.pid();
  const auto err = join_error(peer, 200ms);
  EXPECT_NE(err.find("did not finish within 200 ms and was killed"), std::string::npos) << err;
  EXPECT_EQ(kill(pid, 0), -1);  // reaped: the pid no longer exists
}

TEST(Peer, HungThreadIsReportedAndJoinedOnceItStops) {
  std::atomic<bool> release{false};
  {
    Peer peer = Peer::start(PeerKind::thread, std::nullopt, [&release] {
      while (!release) std::this_thread::sleep_for(1ms);
      return PeerReport{};
    });
    EXPECT_NE(join_error(peer, 50ms).find("did not finish within 50 ms"), std::string::npos);
    release = true;  // a thread cannot be killed; the destructor joins it once it stops
  }
  SUCCEED();
}

TEST(Peer, PinsToTheRequestedCpu) {
  const int cpu = allowed_cpus().back();
  for (auto kind : {PeerKind::process, PeerKind::thread}) {
    Peer peer = Peer::start(kind, cpu, [] {
      return PeerReport{{}, 0, static_cast<std::uint64_t>(sched_getcpu())};
    });
    EXPECT_EQ(peer.join(5000ms).value, static_cast<std::uint64_t>(cpu)) << to_string(kind);
  }
}

TEST(Affinity, PoliciesPlanTheRightCpus) {
  EXPECT_FALSE(plan_pins(PinPolicy::none).main_cpu.has_value());
  const auto same = plan_pins(PinPolicy::same);
  EXPECT_EQ(same.main_cpu, same.peer_cpu);
  if (allowed_cpus().size() >= 2) {
    const auto cross = plan_pins(PinPolicy::cross);
    EXPECT_NE(cross.main_cpu, cross.peer_cpu);
  }
  EXPECT_EQ(parse_pin_policy("cross"), PinPolicy::cross);
  EXPECT_FALSE(parse_pin_policy("diagonal").has_value());
}

TEST(Affinity, ScopedPinRestoresTheMask) {
  const auto before = allowed_cpus();
  {
    ScopedPin pin(before.front());
    EXPECT_EQ(sched_getcpu(), before.front());
  }
  cpu_set_t set;
  sched_getaffinity(0, sizeof set, &set);
  EXPECT_EQ(static_cast<std::size_t>(CPU_COUNT(&set)), before.size());
}
