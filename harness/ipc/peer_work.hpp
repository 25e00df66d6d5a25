// What the peer does with its end in the pair drivers, named so a remote server can be asked for
// it: "latency" echoes each message as it came, "throughput" takes and verifies each message and
// acknowledges the warm-up and the last one (ipc/ack.hpp), "relay" sends each message back as it
// came on a duplex endpoint's other channel until the sender's plan, then the planned number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "channel/mechanism.hpp"
#include "os/peer.hpp"

namespace ipcbench {

struct PeerWork {
  std::string workload;  // "latency", "throughput" or "relay"
  std::size_t size = 0;
  std::uint64_t warmup = 0;
  std::uint64_t measured = 0;  // relay: the most scheduled messages a plan may ask for
  CostScope cost;              // what the peer counts over the measured part
};

// The relay's plan: a message whose sequence is kRelayPlan, then the number of scheduled
// messages that follow. Every message before it is relayed unmeasured (the sender's calibration).
inline constexpr std::uint64_t kRelayPlan = ~std::uint64_t{0};
inline constexpr std::size_t kRelayPlanSize = 16;  // the smallest message that carries a plan
void write_relay_plan(std::span<std::byte> msg, std::uint64_t scheduled);

// Runs it on `ep`; the report holds what the peer spent in the measured part.
PeerReport run_peer_work(Endpoint& ep, const PeerWork& work);

}  // namespace ipcbench
