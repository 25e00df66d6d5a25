// An Endpoint for message-preserving sockets (AF_UNIX SOCK_DGRAM and SOCK_SEQPACKET): one send()
// is one message, and a received message of the wrong length fails instead of being truncated.
#pragma once

#include "channel/mechanism.hpp"
#include "os/fd.hpp"

namespace ipcbench {

class DatagramEndpoint : public Endpoint {
 public:
  explicit DatagramEndpoint(Fd fd) : fd_(std::move(fd)) {}
  void send(std::span<const std::byte> msg) override;
  void recv(std::span<std::byte> msg) override;

 private:
  Fd fd_;
};

// Raises the socket's send buffer so one message of `size` bytes fits (an AF_UNIX datagram
// must fit whole). Throws LimitError naming the sysctl to raise when the kernel refuses.
void fit_datagram(int fd, std::size_t size, const std::string& mechanism);

}  // namespace ipcbench
