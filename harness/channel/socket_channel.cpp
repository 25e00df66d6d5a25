#include "channel/socket_channel.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "base/system_error.hpp"
#include "channel/fd_channel.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

SocketChannel::SocketChannel(Fd listener, const sockaddr_storage& address, socklen_t length,
                             Paths paths, bool nodelay)
    : listener_(std::move(listener)),
      address_(address),
      length_(length),
      paths_(std::move(paths)),
      nodelay_(nodelay) {}

std::unique_ptr<Endpoint> SocketChannel::open(Side side, PeerKind peers) {
  Fd conn;
  if (side == Side::a) {
    if (peers == PeerKind::process) listener_.reset();
    conn = Fd(check_syscall(socket(address_.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
    const auto* peer_address = reinterpret_cast<const sockaddr*>(&address_);
    // A connect interrupted by a signal completes in the background; the retry then sees EISCONN.
    retry_interrupted(
        [&] {
          const int r = connect(conn.get(), peer_address, length_);
          return r < 0 && errno == EISCONN ? 0 : r;
        },
        "connect");
  } else {
    conn = Fd(retry_interrupted(
        [&] { return accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC); }, "accept"));
    listener_.reset();  // one connection per channel; no one else may connect
  }
  if (nodelay_) {
    const int one = 1;
    check_syscall(setsockopt(conn.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one),
                  "setsockopt(TCP_NODELAY)");
  }
  return std::make_unique<FdEndpoint>(std::move(conn), Fd());
}

}  // namespace ipcbench
