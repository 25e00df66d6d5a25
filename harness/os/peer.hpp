// Runs a function as the other end of a benchmark: a forked process or a thread, one API.
// Whatever goes wrong in the peer (exception, non-zero exit, signal, hang) comes back from join().
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "os/cost_meter.hpp"
#include "os/peer_kind.hpp"

namespace ipcbench {

// What a peer reports back when it finishes: trivially copyable, so it can cross a pipe.
struct PeerReport {
  EndCost cost;  // what the peer spent in its measured section (os/cost_meter.hpp)
  std::uint64_t messages = 0;
  std::uint64_t value = 0;  // a workload's result, for the caller to check
};

// How long a peer may make no progress before it is declared hung, unless --peer-timeout says.
inline constexpr std::chrono::milliseconds kDefaultPeerTimeout{5000};

class PeerError : public std::runtime_error {
 public:
  // How the peer failed, most telling first: of several failed peers, the lowest is the likely
  // cause and the others its consequences (a peer hangs or sees its channel close because
  // another died).
  enum class Kind { failed, timed_out, saw_close };
  explicit PeerError(const std::string& what, Kind kind = Kind::failed)
      : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

using PeerFunction = std::function<PeerReport()>;

class Peer {
 public:
  // Starts fn pinned to cpu (if given). A process peer dies with its parent (PR_SET_PDEATHSIG)
  // and ends with _exit, so it never flushes the parent's stdio buffers or runs its destructors.
  static Peer start(PeerKind kind, std::optional<int> cpu, PeerFunction fn);

  Peer(Peer&&) noexcept;
  Peer& operator=(Peer&&) noexcept;
  ~Peer();

  // Waits up to timeout. Throws PeerError naming the peer and what happened: the exception it
  // threw, its exit code, the signal that killed it, or that it hung (a process is then killed).
  // interrupt_waits: the benchmark's side has failed and called StallWatchdog::abandon_waits;
  // a thread peer is interrupted every tick so that a blocking call it sits in returns.
  PeerReport join(std::chrono::milliseconds timeout, bool interrupt_waits = false);

  // True once the peer has finished (its report or error is ready); never waits.
  bool done();

  pid_t pid() const;  // 0 for a thread peer
  // A thread peer's flag, set the moment its function throws; nullptr for a process peer.
  const std::atomic<bool>* failure_flag() const;

  struct Impl;

 private:
  explicit Peer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ipcbench
