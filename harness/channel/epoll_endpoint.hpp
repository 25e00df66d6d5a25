// The consumer's end of fan-in over connected stream sockets: one connection per producer, all
// watched by one epoll set, as a server with many clients waits for them.
#pragma once

#include <vector>

#include "channel/mechanism.hpp"
#include "os/fd.hpp"

namespace ipcbench {

// recv takes one whole message from a connection epoll reported readable; connections that
// were ready together are served in turn before the next epoll_wait. Receive-only.
class EpollFanInEndpoint : public Endpoint {
 public:
  explicit EpollFanInEndpoint(std::vector<Fd> connections);
  void send(std::span<const std::byte> msg) override;
  void recv(std::span<std::byte> msg) override;

 private:
  int next_ready();
  std::vector<Fd> connections_;
  Fd epoll_;
  std::vector<int> ready_;  // connections epoll reported, not yet served
};

}  // namespace ipcbench
