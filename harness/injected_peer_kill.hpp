// Test-only: --inject-peer-kill=REGEX makes the process peers of matching ipc benchmarks SIGKILL
// themselves a few milliseconds in, so that detecting a dead peer is tested end to end.
#pragma once

#include <string>

namespace ipcbench {

// Throws UsageError for an invalid (extended) regex.
void set_injected_peer_kill(const std::string& regex);
bool injected_peer_kill_for(const std::string& name);

// Whether the benchmark now running has its peers killed (set by BenchmarkSet around each call).
bool current_injected_peer_kill();
void set_current_injected_peer_kill(bool on);

// Held by a process peer: SIGKILLs the process a few milliseconds in, from another thread,
// wherever the peer is by then (warm-up, measuring, blocked in the kernel), or when the peer's
// work ends first (a short benchmark call), so the peer never reports success.
class InjectedPeerKill {
 public:
  InjectedPeerKill();
  ~InjectedPeerKill();
  InjectedPeerKill(const InjectedPeerKill&) = delete;
  InjectedPeerKill& operator=(const InjectedPeerKill&) = delete;
};

}  // namespace ipcbench
