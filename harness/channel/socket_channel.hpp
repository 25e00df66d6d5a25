// A Channel for connected stream sockets (AF_UNIX path sockets, loopback TCP): the parent binds
// and listens before the peer starts, so side a's connect never races side b's accept. In fan-in,
// each producer connects as a client and the consumer accepts them all and waits with epoll.
#pragma once

#include <sys/socket.h>

#include "channel/mechanism.hpp"
#include "os/fd.hpp"
#include "os/resources.hpp"

namespace ipcbench {

class SocketChannel : public Channel {
 public:
  // Filesystem objects of an AF_UNIX socket, removed with the channel (empty for TCP).
  struct Paths {
    OwnedResource dir;  // declared first: removed last, after the socket inside it
    OwnedResource socket;
  };
  struct Options {
    bool nodelay = false;    // TCP_NODELAY
    int producers = 0;       // 0 for a pair, N for fan-in
    bool busy_poll = false;  // a pair's ends receive by polling (PollingFdEndpoint), never sleep
    int buffer_bytes = 0;    // SO_SNDBUF and SO_RCVBUF of every connection; 0: the kernel's
  };
  // listener: bound and listening; address: where side a connects (producers, in fan-in).
  SocketChannel(Fd listener, const sockaddr_storage& address, socklen_t length, Paths paths,
                Options options);
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override;
  std::unique_ptr<Endpoint> open_producer(int index, PeerKind peers) override;

 private:
  Fd connect_to_listener();
  Fd accept_one();
  void configure(const Fd& conn) const;
  Fd listener_;
  sockaddr_storage address_{};
  socklen_t length_ = 0;
  Paths paths_;
  Options options_;
};

}  // namespace ipcbench
