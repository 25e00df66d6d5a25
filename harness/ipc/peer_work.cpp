#include "ipc/peer_work.hpp"

#include <stdexcept>
#include <vector>

#include "base/clock.hpp"
#include "ipc/ack.hpp"
#include "measure/payload.hpp"

namespace ipcbench {
namespace {

// The peer echoes each message as it came. The main side's check of the reply covers both
// directions: a message lost, reordered or corrupted on the way out comes back that way. A check
// here would add nothing to that and, with both ends on one CPU, would sit inside the measured
// round trip (measured: 2 of the 5-6 % the harness added over ref/pipe_pingpong at pin:same).
PeerReport echo(Endpoint& ep, const PeerWork& w) {
  std::vector<std::byte> buf(w.size);
  std::int64_t cpu_start = 0;
  for (std::uint64_t seq = 0; seq < w.warmup + w.measured; ++seq) {
    if (seq == w.warmup) cpu_start = thread_cpu_ns();
    ep.send(ep.recv_view(buf));
  }
  return {thread_cpu_ns() - cpu_start, w.measured};
}

PeerReport consume(Endpoint& ep, const PeerWork& w) {
  std::vector<std::byte> buf(w.size);
  Acks acks;
  std::uint64_t seq = 0;
  for (; seq < w.warmup; ++seq) verify_payload(ep.recv_view(buf), seq);
  acks.send(ep, seq);
  const std::int64_t cpu_start = thread_cpu_ns();
  for (; seq < w.warmup + w.measured; ++seq) verify_payload(ep.recv_view(buf), seq);
  const std::int64_t cpu = thread_cpu_ns() - cpu_start;
  acks.send(ep, seq);
  return {cpu, w.measured};
}

}  // namespace

PeerReport run_peer_work(Endpoint& ep, const PeerWork& work) {
  if (work.workload == "latency") return echo(ep, work);
  if (work.workload == "throughput") return consume(ep, work);
  throw std::invalid_argument("no peer work named '" + work.workload + "'");
}

}  // namespace ipcbench
