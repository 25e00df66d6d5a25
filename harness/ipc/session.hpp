// One benchmark call's peer session, shared by the drivers that run a peer (latency, throughput,
// load, load_rtt): create the channel, start the peer, pin, watch for stalls, tear down, and turn
// any failure into one SkipWithError message that names the mechanism and the root cause.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "bench/settings.hpp"
#include "channel/mechanism.hpp"
#include "channel/ring_copy.hpp"
#include "hooks/hooks.hpp"
#include "ipc/peer_work.hpp"
#include "os/affinity.hpp"
#include "os/cost_meter.hpp"
#include "os/peer.hpp"
#include "remote/control.hpp"

namespace ipcbench {

struct IpcParams {
  const MechanismInfo* mechanism = nullptr;
  std::size_t size = 0;
  PeerKind peer = PeerKind::process;
  PinPolicy pin = PinPolicy::none;
  int producers = 0;  // fan-in: N producers to one consumer; 0 for a two-way pair
  int consumers = 0;  // fan-out: one producer to N consumers; 0 for a two-way pair
  // From the run's settings: how long a peer may stall, which CPUs pinning uses, test hooks.
  std::chrono::milliseconds peer_timeout = kDefaultPeerTimeout;
  PinCpus cpus;
  BenchmarkHooks hooks;
  // Shared-memory mechanisms copy as measured best on this machine; none: the default.
  std::optional<RingCopyPlan> ring_copy;
  // Set: the peer runs on the remote server (ipcbench serve) through the mechanism's RemoteLink.
  std::shared_ptr<RemoteControl> remote;
  // Two channels, one each way, as one endpoint (channel/duplex_channel.hpp): load_rtt/*.
  bool duplex = false;
  // Also count system calls and migrations (RunSettings::count_kernel_events).
  bool count_kernel_events = false;

  // Takes what the run's settings say for the benchmark called `name`: the peer timeout, the
  // CPUs, the ring's copy plan and the test hooks that apply to it.
  void take_run_settings(const RunSettings& run, const std::string& name);
};

// What each end's CostMeter counts: the benchmark's side its process's helper threads too, a
// peer only when it is a process of its own (a thread peer's helpers are the benchmark's side's).
CostScope main_cost_scope(const IpcParams& params);
CostScope peer_cost_scope(const IpcParams& params);

// Untimed messages before the measured ones: enough to fault in buffers and wake the scheduler,
// bounded in bytes so 1 MiB messages do not turn warm-up into the dominant cost.
std::uint64_t warmup_messages(std::size_t size);

// Runs peer_body on the peer's endpoint and main_body on ours. Returns the peer's report, or
// nullopt after calling state.SkipWithError (or skip_benchmark when this machine cannot run it).
std::optional<PeerReport> run_with_peer(benchmark::State& state, const IpcParams& params,
                                        const std::function<PeerReport(Endpoint&)>& peer_body,
                                        const std::function<void(Endpoint&)>& main_body);

// The same for a pair driver whose peer does `work`: in a local peer, or on the remote server
// when params.remote is set (then a failure is reported as net/<mechanism>: ..., naming the host).
std::optional<PeerReport> run_with_peer(benchmark::State& state, const IpcParams& params,
                                        const PeerWork& work,
                                        const std::function<void(Endpoint&)>& main_body);

// Fan-in: params.producers peers each run producer_body(index, endpoint) on their sending end,
// all pinned by the same policy; main_body runs on the consumer's end. Returns the reports in
// producer order, or nullopt after SkipWithError.
std::optional<std::vector<PeerReport>> run_with_producers(
    benchmark::State& state, const IpcParams& params,
    const std::function<PeerReport(int, Endpoint&)>& producer_body,
    const std::function<void(Endpoint&)>& main_body);

// Fan-out: params.consumers peers each run consumer_body(index, endpoint) on their receiving
// end; main_body runs on the producer's end. Returns the reports in consumer order, or nullopt.
std::optional<std::vector<PeerReport>> run_with_consumers(
    benchmark::State& state, const IpcParams& params,
    const std::function<PeerReport(int, Endpoint&)>& consumer_body,
    const std::function<void(Endpoint&)>& main_body);

}  // namespace ipcbench
