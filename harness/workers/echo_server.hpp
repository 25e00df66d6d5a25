// A loopback TCP echo server for the io/tcp_echo workload: one thread accepts, one thread per
// connection echoes until the client closes. Bound to 127.0.0.1 on a port the kernel picks.
#pragma once

#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "os/fd.hpp"

namespace ipcbench {

class EchoServer {
 public:
  EchoServer();
  ~EchoServer();  // shuts every socket down and joins every thread
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  void accept_loop();

  Fd listener_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;  // guards connections_ and workers_
  std::vector<int> connections_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// A client connection to 127.0.0.1:port with TCP_NODELAY.
Fd connect_loopback(std::uint16_t port);

}  // namespace ipcbench
