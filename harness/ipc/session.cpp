#include "ipc/session.hpp"

#include <algorithm>
#include <string>

#include "base/units.hpp"
#include "bench/skip.hpp"
#include "hooks/peer_kill.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr std::chrono::milliseconds kGrace{1000};

// The peer's own error is the cause when ours only says the channel closed under us.
std::string root_cause(const std::string& main_error, bool main_saw_close,
                       const std::string& peer_error) {
  if (main_error.empty()) return peer_error;
  if (peer_error.empty()) return main_error;
  if (main_saw_close) return peer_error;
  return main_error + "; then " + peer_error;
}

}  // namespace

std::uint64_t warmup_messages(std::size_t size) {
  constexpr std::size_t kWarmupBytes = 4 << 20;
  return std::clamp<std::uint64_t>(kWarmupBytes / std::max<std::size_t>(size, 1), 4, 256);
}

namespace {

void watch(StallWatchdog& watchdog, const Peer& peer) {
  if (peer.pid() > 0) watchdog.watch_process(peer.pid());
  if (const auto* flag = peer.failure_flag()) watchdog.watch_flag(flag);
}

// The reason this configuration cannot run here, or empty.
std::string unsupported_reason(const IpcParams& params) {
  const TransportInfo& t = *params.transport;
  const std::size_t max =
      params.producers > 0 ? t.caps.fan_in_max_message_size : t.caps.max_message_size;
  if (params.size <= max) return {};
  std::string reason = t.name + ": a " + format_size(params.size) + " message exceeds the " +
                       format_size(max) + (params.producers > 0 ? " fan-in" : "") + " limit";
  if (!t.caps.max_message_reason.empty()) reason += " (" + t.caps.max_message_reason + ")";
  return reason;
}

// The shared body of the pair and fan-in sessions: n peers, each running peer_body(index).
std::optional<std::vector<PeerReport>> run_session(
    benchmark::State& state, const IpcParams& params, int n,
    const std::function<PeerReport(Channel&, int)>& peer_body,
    const std::function<void(Endpoint&)>& main_body) {
  if (const auto reason = unsupported_reason(params); !reason.empty()) {
    skip_benchmark(state, reason);
    return std::nullopt;
  }
  std::string main_error, peer_error;
  bool main_saw_close = false;
  std::vector<PeerReport> reports;
  try {
    const PinPlan plan = plan_pins(params.pin, params.cpus);
    auto channel = params.transport->create({params.size, params.peer, params.producers});
    std::vector<Peer> peers;
    for (int i = 0; i < n; ++i) {
      peers.push_back(Peer::start(params.peer, plan.peer_cpu, [&channel, &peer_body, i, &params] {
        std::optional<InjectedPeerKill> kill;
        if (params.peer == PeerKind::process && params.hooks.kill_process_peers) kill.emplace();
        return peer_body(*channel, i);
      }));
    }
    try {
      StallWatchdog watchdog(params.peer_timeout);
      for (const auto& p : peers) watch(watchdog, p);
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
    const bool failed = !main_error.empty();
    if (failed) StallWatchdog::abandon_waits();
    const auto wait = failed ? std::min(params.peer_timeout, kGrace) : params.peer_timeout;
    for (auto& p : peers) {
      try {
        reports.push_back(p.join(wait, failed));
      } catch (const PeerError& e) {
        if (peer_error.empty()) peer_error = e.what();
      }
    }
  } catch (const LimitError& e) {  // this machine's limits, found while creating the channel
    skip_benchmark(state, e.what());
    return std::nullopt;
  } catch (const std::exception& e) {  // set-up: channel creation, fork, pinning
    main_error = e.what();
  }
  const std::string cause = root_cause(main_error, main_saw_close, peer_error);
  if (cause.empty()) return reports;
  state.SkipWithError(("ipc/" + params.transport->name + ": " + cause).c_str());
  return std::nullopt;
}

}  // namespace

std::optional<PeerReport> run_with_peer(benchmark::State& state, const IpcParams& params,
                                        const std::function<PeerReport(Endpoint&)>& peer_body,
                                        const std::function<void(Endpoint&)>& main_body) {
  auto reports = run_session(
      state, params, 1,
      [&](Channel& channel, int) {
        auto ep = channel.open(Side::b, params.peer);
        return peer_body(*ep);
      },
      main_body);
  if (!reports) return std::nullopt;
  return reports->front();
}

std::optional<std::vector<PeerReport>> run_with_producers(
    benchmark::State& state, const IpcParams& params,
    const std::function<PeerReport(int, Endpoint&)>& producer_body,
    const std::function<void(Endpoint&)>& main_body) {
  return run_session(
      state, params, params.producers,
      [&](Channel& channel, int index) {
        auto ep = channel.open_producer(index, params.peer);
        return producer_body(index, *ep);
      },
      main_body);
}

}  // namespace ipcbench
