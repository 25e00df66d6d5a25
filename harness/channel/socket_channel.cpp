#include "channel/socket_channel.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "base/system_error.hpp"
#include "channel/epoll_endpoint.hpp"
#include "channel/fd_channel.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

SocketChannel::SocketChannel(Fd listener, const sockaddr_storage& address, socklen_t length,
                             Paths paths, bool nodelay, int producers, bool busy_poll)
    : listener_(std::move(listener)),
      address_(address),
      length_(length),
      paths_(std::move(paths)),
      nodelay_(nodelay),
      producers_(producers),
      busy_poll_(busy_poll) {}

Fd SocketChannel::connect_to_listener() {
  Fd conn(check_syscall(socket(address_.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
  const auto* peer_address = reinterpret_cast<const sockaddr*>(&address_);
  // A connect interrupted by a signal completes in the background; the retry then sees EISCONN.
  retry_interrupted(
      [&] {
        const int r = connect(conn.get(), peer_address, length_);
        return r < 0 && errno == EISCONN ? 0 : r;
      },
      "connect");
  set_nodelay(conn);
  return conn;
}

Fd SocketChannel::accept_one() {
  Fd conn(retry_interrupted(
      [&] { return accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC); }, "accept"));
  set_nodelay(conn);
  return conn;
}

void SocketChannel::set_nodelay(const Fd& conn) const {
  if (!nodelay_) return;
  const int one = 1;
  check_syscall(setsockopt(conn.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one),
                "setsockopt(TCP_NODELAY)");
}

std::unique_ptr<Endpoint> SocketChannel::open(Side side, PeerKind peers) {
  if (producers_ > 0) {  // the fan-in consumer: the server every producer connects to
    std::vector<Fd> connections;
    for (int i = 0; i < producers_; ++i) connections.push_back(accept_one());
    listener_.reset();  // every producer is in; no one else may connect
    return std::make_unique<EpollFanInEndpoint>(std::move(connections));
  }
  Fd conn;
  if (side == Side::a) {
    if (peers == PeerKind::process) listener_.reset();
    conn = connect_to_listener();
  } else {
    conn = accept_one();
    listener_.reset();  // one connection per channel; no one else may connect
  }
  if (busy_poll_) return std::make_unique<PollingFdEndpoint>(std::move(conn), Fd(), true);
  return std::make_unique<FdEndpoint>(std::move(conn), Fd());
}

std::unique_ptr<Endpoint> SocketChannel::open_producer(int, PeerKind peers) {
  if (peers == PeerKind::process) listener_.reset();  // the consumer's, not ours to hold
  return std::make_unique<FdEndpoint>(connect_to_listener(), Fd());
}

}  // namespace ipcbench
