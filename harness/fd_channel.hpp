// A Channel for every mechanism that is a pair of file descriptors per side (pipes, FIFOs,
// sockets): framing by exact-size read/write loops, EOF and EPIPE reported as ChannelClosed.
#pragma once

#include "fd.hpp"
#include "transport.hpp"

namespace ipcbench {

// Reads exactly buf.size() bytes, looping over short reads; EINTR consults the stall watchdog.
void read_exact(int fd, std::span<std::byte> buf);
// Writes all of buf, looping over short writes (a full pipe or socket buffer).
void write_all(int fd, std::span<const std::byte> buf);

class FdEndpoint : public Endpoint {
 public:
  // `out` may be empty for bidirectional descriptors (sockets): then `in` is used both ways.
  FdEndpoint(Fd in, Fd out) : in_(std::move(in)), out_(std::move(out)) {}
  void send(std::span<const std::byte> msg) override;
  void recv(std::span<std::byte> msg) override;

 private:
  Fd in_;
  Fd out_;
};

class FdChannel : public Channel {
 public:
  struct Ends {
    Fd in;
    Fd out;  // empty when `in` is bidirectional
  };
  FdChannel(Ends a, Ends b) : ends_{std::move(a), std::move(b)} {}
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override;

 private:
  Ends ends_[2];
};

}  // namespace ipcbench
