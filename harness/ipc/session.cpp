#include "ipc/session.hpp"

#include <algorithm>
#include <string>

#include "base/units.hpp"
#include "bench/skip.hpp"
#include "channel/duplex_channel.hpp"
#include "hooks/peer_kill.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

void IpcParams::take_run_settings(const RunSettings& run, const std::string& name) {
  peer_timeout = run.peer_timeout;
  cpus = run.cpus;
  ring_copy = run.ring_copy;
  hooks = run.hooks.for_benchmark(name);
  count_kernel_events = run.count_kernel_events;
}

CostScope main_cost_scope(const IpcParams& params) { return {true, params.count_kernel_events}; }

CostScope peer_cost_scope(const IpcParams& params) {
  return {params.peer == PeerKind::process, params.count_kernel_events};
}

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
  const MechanismInfo& t = *params.mechanism;
  const std::size_t max = params.producers > 0   ? t.caps.fan_in_max_message_size
                          : params.consumers > 0 ? t.caps.fan_out_max_message_size
                                                 : t.caps.max_message_size;
  if (params.size <= max) return {};
  const char* pattern = params.producers > 0 ? " fan-in" : params.consumers > 0 ? " fan-out" : "";
  std::string reason = t.name + ": a " + format_size(params.size) + " message exceeds the " +
                       format_size(max) + pattern + " limit";
  if (!t.caps.max_message_reason.empty()) reason += " (" + t.caps.max_message_reason + ")";
  return reason;
}

// The shared body of the pair, fan-in and fan-out sessions: n peers, each running peer_body(index).
// `role` names the peers in errors ("consumer 2: ..."); empty for a pair's single peer.
std::optional<std::vector<PeerReport>> run_session(
    benchmark::State& state, const IpcParams& params, int n, const std::string& role,
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
    ChannelOptions options{params.size, params.peer, params.producers, params.consumers};
    if (params.ring_copy) {
      options.streaming_copy_min = [plan = *params.ring_copy] {
        return plan.choice().streaming_min;
      };
    }
    auto channel = params.duplex ? make_duplex_channel(params.mechanism->create(options),
                                                       params.mechanism->create(options))
                                 : params.mechanism->create(options);
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
    // Of several failed peers, the first of the most telling kind is the cause.
    auto peer_kind = PeerError::Kind::saw_close;
    for (std::size_t i = 0; i < peers.size(); ++i) {
      try {
        reports.push_back(peers[i].join(wait, failed));
      } catch (const PeerError& e) {
        if (!peer_error.empty() && e.kind() >= peer_kind) continue;
        peer_error = role.empty() ? e.what() : role + " " + std::to_string(i) + ": " + e.what();
        peer_kind = e.kind();
      }
    }
    StallWatchdog::end_abandon();
  } catch (const LimitError& e) {  // this machine's limits, found while creating the channel
    skip_benchmark(state, e.what());
    return std::nullopt;
  } catch (const std::exception& e) {  // set-up: channel creation, fork, pinning
    main_error = e.what();
  }
  const std::string cause = root_cause(main_error, main_saw_close, peer_error);
  if (cause.empty()) return reports;
  state.SkipWithError(("ipc/" + params.mechanism->name + ": " + cause).c_str());
  return std::nullopt;
}

}  // namespace

std::optional<PeerReport> run_with_peer(benchmark::State& state, const IpcParams& params,
                                        const std::function<PeerReport(Endpoint&)>& peer_body,
                                        const std::function<void(Endpoint&)>& main_body) {
  auto reports = run_session(
      state, params, 1, "",
      [&](Channel& channel, int) {
        auto ep = channel.open(Side::b, params.peer);
        return peer_body(*ep);
      },
      main_body);
  if (!reports) return std::nullopt;
  return reports->front();
}

namespace {

// The data port (for a relay, the requests' port, then the replies' port: two connections, one
// each way, as the server accepts them).
std::unique_ptr<Endpoint> connect_remote(const MechanismInfo& t, const std::string& host,
                                         const DataPort& port, std::size_t size) {
  auto out = t.remote->connect({host, port.port, size, port.secret});
  if (port.reply_port == 0) return out;
  auto in = t.remote->connect({host, port.reply_port, size, port.secret});
  return std::make_unique<DuplexEndpoint>(std::move(out), std::move(in));
}

// The remote pair session: the server opens a data port and runs the peer's work there; we
// connect through the mechanism's RemoteLink and run main_body, then collect the server's report.
std::optional<PeerReport> run_remote_session(benchmark::State& state, const IpcParams& params,
                                             const PeerWork& work,
                                             const std::function<void(Endpoint&)>& main_body) {
  const MechanismInfo& t = *params.mechanism;
  RemoteControl& control = *params.remote;
  if (const auto reason = unsupported_reason(params); !reason.empty()) {
    skip_benchmark(state, reason);
    return std::nullopt;
  }
  std::string main_error, remote_error;
  bool main_saw_close = false;
  std::optional<PeerReport> report;
  try {
    const PinPlan plan = plan_pins(params.pin, params.cpus);
    const DataPort port = control.start({t.name, work.workload, work.size, work.warmup,
                                         work.measured, std::string(to_string(params.pin))});
    try {
      StallWatchdog watchdog(params.peer_timeout);
      ScopedPin pin(plan.main_cpu);
      auto ep = connect_remote(t, control.server().host, port, params.size);
      main_body(*ep);
    } catch (const ChannelClosed& e) {
      main_error = e.what();
      main_saw_close = true;
    } catch (const std::exception& e) {
      main_error = e.what();
    }
    try {
      report = control.finish();
    } catch (const std::exception& e) {
      remote_error = e.what();
    }
  } catch (const std::exception& e) {  // the server refused or did not answer the start
    remote_error = e.what();
  }
  const std::string cause = root_cause(main_error, main_saw_close, remote_error);
  if (cause.empty()) return report;
  state.SkipWithError(("net/" + t.name + ": " + cause).c_str());
  return std::nullopt;
}

}  // namespace

std::optional<PeerReport> run_with_peer(benchmark::State& state, const IpcParams& params,
                                        const PeerWork& work,
                                        const std::function<void(Endpoint&)>& main_body) {
  if (params.remote) return run_remote_session(state, params, work, main_body);
  return run_with_peer(
      state, params, [&work](Endpoint& ep) { return run_peer_work(ep, work); }, main_body);
}

namespace {

using OpenRole = std::unique_ptr<Endpoint> (Channel::*)(int, PeerKind);

// n peers in one role (fan-in's producers, fan-out's consumers), each opening its end with `open`.
std::optional<std::vector<PeerReport>> run_with_role(
    benchmark::State& state, const IpcParams& params, int n, const std::string& role, OpenRole open,
    const std::function<PeerReport(int, Endpoint&)>& peer_body,
    const std::function<void(Endpoint&)>& main_body) {
  return run_session(
      state, params, n, role,
      [&](Channel& channel, int index) {
        auto ep = (channel.*open)(index, params.peer);
        return peer_body(index, *ep);
      },
      main_body);
}

}  // namespace

std::optional<std::vector<PeerReport>> run_with_producers(
    benchmark::State& state, const IpcParams& params,
    const std::function<PeerReport(int, Endpoint&)>& producer_body,
    const std::function<void(Endpoint&)>& main_body) {
  return run_with_role(state, params, params.producers, "producer", &Channel::open_producer,
                       producer_body, main_body);
}

std::optional<std::vector<PeerReport>> run_with_consumers(
    benchmark::State& state, const IpcParams& params,
    const std::function<PeerReport(int, Endpoint&)>& consumer_body,
    const std::function<void(Endpoint&)>& main_body) {
  return run_with_role(state, params, params.consumers, "consumer", &Channel::open_consumer,
                       consumer_body, main_body);
}

}  // namespace ipcbench
