#include "ipc_session.hpp"

#include <time.h>

#include <algorithm>
#include <string>

#include "stall_watchdog.hpp"
#include "system_error.hpp"

namespace ipcbench {
namespace {

std::chrono::milliseconds g_peer_timeout{5000};
constexpr std::chrono::milliseconds kGrace{1000};

std::int64_t clock_ns(clockid_t id) {
  timespec ts;
  check_syscall(clock_gettime(id, &ts), "clock_gettime");
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// The peer's own error is the cause when ours only says the channel closed under us.
std::string root_cause(const std::string& main_error, bool main_saw_close,
                       const std::string& peer_error) {
  if (main_error.empty()) return peer_error;
  if (peer_error.empty()) return main_error;
  if (main_saw_close) return peer_error;
  return main_error + "; then " + peer_error;
}

}  // namespace

void set_peer_timeout(std::chrono::milliseconds timeout) { g_peer_timeout = timeout; }
std::chrono::milliseconds peer_timeout() { return g_peer_timeout; }

std::uint64_t warmup_messages(std::size_t size) {
  constexpr std::size_t kWarmupBytes = 4 << 20;
  return std::clamp<std::uint64_t>(kWarmupBytes / std::max<std::size_t>(size, 1), 4, 256);
}

std::int64_t thread_cpu_ns() { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }
std::int64_t monotonic_ns() { return clock_ns(CLOCK_MONOTONIC); }

std::optional<PeerReport> run_with_peer(benchmark::State& state, const IpcParams& params,
                                        const std::function<PeerReport(Endpoint&)>& peer_body,
                                        const std::function<void(Endpoint&)>& main_body) {
  std::string main_error, peer_error;
  bool main_saw_close = false;
  std::optional<PeerReport> report;
  try {
    const PinPlan plan = plan_pins(params.pin);
    auto channel = params.transport->create({params.size, params.peer});
    Peer peer = Peer::start(params.peer, plan.peer_cpu, [&] {
      auto ep = channel->open(Side::b, params.peer);
      return peer_body(*ep);
    });
    try {
      StallWatchdog watchdog(peer_timeout());
      ScopedPin pin(plan.main_cpu);
      auto ep = channel->open(Side::a, params.peer);
      main_body(*ep);
    } catch (const ChannelClosed& e) {
      main_error = e.what();
      main_saw_close = true;
    } catch (const std::exception& e) {
      main_error = e.what();
    }
    // Our endpoint is closed by now, so a peer blocked on it sees EOF at once; after a failure
    // a short grace suffices, and keeps detection of a hung peer near one timeout, not two.
    const auto wait = main_error.empty() ? peer_timeout() : std::min(peer_timeout(), kGrace);
    try {
      report = peer.join(wait);
    } catch (const PeerError& e) {
      peer_error = e.what();
    }
  } catch (const std::exception& e) {  // set-up: channel creation, fork, pinning
    main_error = e.what();
  }
  const std::string cause = root_cause(main_error, main_saw_close, peer_error);
  if (cause.empty()) return report;
  state.SkipWithError(("ipc/" + params.transport->name + ": " + cause).c_str());
  return std::nullopt;
}

}  // namespace ipcbench
