// What the peer does with its end in the pair drivers, named so a remote server can be asked for
// it: "latency" echoes each message as it came, "throughput" takes and verifies each message and
// acknowledges the warm-up and the last one (ipc/ack.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "channel/transport.hpp"
#include "os/peer.hpp"

namespace ipcbench {

struct PeerWork {
  std::string workload;  // "latency" or "throughput"
  std::size_t size = 0;
  std::uint64_t warmup = 0;
  std::uint64_t measured = 0;
};

// Runs it on `ep`; the report holds the CPU the peer spent in the measured part.
PeerReport run_peer_work(Endpoint& ep, const PeerWork& work);

}  // namespace ipcbench
