#include "ipc/peer_work.hpp"

#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include "ipc/ack.hpp"
#include "measure/payload.hpp"

namespace ipcbench {
namespace {

// The peer echoes each message as it came. The main side's check of the reply covers both
// directions: a message lost, reordered or corrupted on the way out comes back that way. A check
// here would add nothing to that and, with both ends on one CPU, would sit inside the measured
// round trip (it was a third of what the harness added over ref/pipe_pingpong: docs/usage.md).
PeerReport echo(Endpoint& ep, const PeerWork& w) {
  std::vector<std::byte> buf(w.size);
  for (std::uint64_t seq = 0; seq < w.warmup; ++seq) ep.send(ep.recv_view(buf));
  CostMeter meter(w.cost);
  for (std::uint64_t i = 0; i < w.measured; ++i) ep.send(ep.recv_view(buf));
  return {meter.stop(), w.measured};
}

PeerReport consume(Endpoint& ep, const PeerWork& w) {
  std::vector<std::byte> buf(w.size);
  Acks acks;
  std::uint64_t seq = 0;
  for (; seq < w.warmup; ++seq) verify_payload(ep.recv_view(buf), seq);
  acks.send(ep, seq);
  CostMeter meter(w.cost);
  for (; seq < w.warmup + w.measured; ++seq) verify_payload(ep.recv_view(buf), seq);
  const EndCost cost = meter.stop();
  acks.send(ep, seq);
  return {cost, w.measured};
}

// The plan's count, or nullopt when msg is not a plan.
std::optional<std::uint64_t> relay_plan(std::span<const std::byte> msg) {
  if (msg.size() < kRelayPlanSize || claimed_sequence(msg) != kRelayPlan) return std::nullopt;
  std::uint64_t scheduled = 0;
  std::memcpy(&scheduled, msg.data() + 8, sizeof scheduled);
  return scheduled;
}

PeerReport relay(Endpoint& ep, const PeerWork& w) {
  std::vector<std::byte> buf(w.size);
  std::optional<std::uint64_t> scheduled;
  while (!scheduled) {
    const auto msg = ep.recv_view(buf);
    scheduled = relay_plan(msg);
    if (!scheduled) ep.send(msg);
  }
  if (*scheduled > w.measured) {
    throw std::runtime_error("relay: the plan asks for " + std::to_string(*scheduled) +
                             " messages, more than the " + std::to_string(w.measured) +
                             " this run allows");
  }
  CostMeter meter(w.cost);
  for (std::uint64_t i = 0; i < *scheduled; ++i) ep.send(ep.recv_view(buf));
  return {meter.stop(), *scheduled};
}

}  // namespace

void write_relay_plan(std::span<std::byte> msg, std::uint64_t scheduled) {
  if (msg.size() < kRelayPlanSize) throw std::invalid_argument("a relay plan needs 16 bytes");
  std::memcpy(msg.data(), &kRelayPlan, sizeof kRelayPlan);
  std::memcpy(msg.data() + 8, &scheduled, sizeof scheduled);
}

PeerReport run_peer_work(Endpoint& ep, const PeerWork& work) {
  if (work.workload == "latency") return echo(ep, work);
  if (work.workload == "throughput") return consume(ep, work);
  if (work.workload == "relay") return relay(ep, work);
  throw std::invalid_argument("no peer work named '" + work.workload + "'");
}

}  // namespace ipcbench
