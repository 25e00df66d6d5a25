// What the floors that run on two CPUs share (floor/cacheline, floor/stream): spinning on a shared
// word, and running the measuring side beside a peer, every failure of either side one error text.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "bench/settings.hpp"
#include "os/affinity.hpp"
#include "os/peer.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

// Spins until `word` holds `want`; polls the watchdog now and then so a dead peer ends the wait.
inline void spin_until(const std::atomic<std::uint64_t>& word, std::uint64_t want) {
  for (std::uint32_t i = 1; word.load(std::memory_order_acquire) != want; ++i) {
    if (i % 4096 == 0 && StallWatchdog::should_stop()) check_stall();
  }
}

// Runs `measure` pinned to `main_cpu`, watched for a stalled or dead `peer`, then joins the peer:
// empty when both sides finished, else what went wrong first.
template <typename Measure>
std::string run_beside(Peer& peer, const RunSettings& run, std::optional<int> main_cpu,
                       Measure measure) {
  std::string error;
  try {
    StallWatchdog watchdog(run.peer_timeout);
    if (peer.pid() > 0) watchdog.watch_process(peer.pid());
    ScopedPin pin(main_cpu);
    measure();
  } catch (const std::exception& e) {
    error = e.what();
    StallWatchdog::abandon_waits();
  }
  try {
    peer.join(run.peer_timeout, !error.empty());
  } catch (const PeerError& e) {
    if (error.empty()) error = e.what();
  }
  return error;
}

}  // namespace ipcbench
