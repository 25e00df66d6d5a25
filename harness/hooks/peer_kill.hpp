// Test-only (--inject-peer-kill): held by a process peer, it SIGKILLs the process a few
// milliseconds in, from another thread, wherever the peer is by then (warm-up, measuring, blocked
// in the kernel), or when the peer's work ends first, so the peer never reports success.
#pragma once

namespace ipcbench {

class InjectedPeerKill {
 public:
  InjectedPeerKill();
  ~InjectedPeerKill();
  InjectedPeerKill(const InjectedPeerKill&) = delete;
  InjectedPeerKill& operator=(const InjectedPeerKill&) = delete;
};

}  // namespace ipcbench
