// The server's side of one remote benchmark, in a forked child: it opens the data port, admits
// only the client that presents the run's secret, and runs the peer's work there. Being a process,
// it can always be stopped: a hung or crashing benchmark never takes `ipcbench serve` with it.
#pragma once

#include <array>
#include <chrono>
#include <string>

#include "os/fd.hpp"
#include "os/peer.hpp"
#include "remote/protocol.hpp"

namespace ipcbench {

class RemoteBenchmark {
 public:
  // Forks the child and waits (briefly) for its data port; throws std::runtime_error naming why
  // the port could not be opened. `timeout` bounds the child's wait for the client and any stall.
  RemoteBenchmark(const RemoteWork& work, const std::string& host, const std::string& secret,
                  std::chrono::milliseconds timeout);

  int port() const { return ports_[0]; }
  int reply_port() const { return ports_[1]; }  // relay only; else 0
  bool done() { return peer_.done(); }
  // Waits up to `timeout` for the child's report; a child still running then is killed.
  PeerReport join(std::chrono::milliseconds timeout) { return peer_.join(timeout); }
  // Kills the child now (the data port closes with it) and reaps it; never throws.
  void abandon();

 private:
  RemoteBenchmark(std::pair<Peer, Fd> started);
  Peer peer_;
  std::array<int, 2> ports_{};
};

}  // namespace ipcbench
