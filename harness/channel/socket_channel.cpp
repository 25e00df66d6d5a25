#include "channel/socket_channel.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "base/limit_error.hpp"
#include "base/system_error.hpp"
#include "base/units.hpp"
#include "channel/epoll_endpoint.hpp"
#include "channel/fd_channel.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// The kernel caps a requested buffer at net.core.{w,r}mem_max without a word (and reports twice
// the request, its bookkeeping included): a smaller one than asked is this machine's limit.
void set_socket_buffer(int fd, int option, int bytes, const char* sysctl) {
  check_syscall(setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof bytes), "setsockopt(buffer)");
  int got = 0;
  socklen_t length = sizeof got;
  check_syscall(getsockopt(fd, SOL_SOCKET, option, &got, &length), "getsockopt(buffer)");
  if (got < bytes) {
    throw LimitError("a " + format_size(static_cast<std::size_t>(bytes)) +
                     " socket buffer was cut to " + std::to_string(got / 2) + " B by " + sysctl +
                     "; raise it with: sysctl -w " + sysctl + "=" + std::to_string(bytes));
  }
}

}  // namespace

SocketChannel::SocketChannel(Fd listener, const sockaddr_storage& address, socklen_t length,
                             Paths paths, Options options)
    : listener_(std::move(listener)),
      address_(address),
      length_(length),
      paths_(std::move(paths)),
      options_(options) {}

Fd SocketChannel::connect_to_listener() {
  Fd conn(check_syscall(socket(address_.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
  configure(conn);  // before connect: TCP sizes its window from the buffer it starts with
  const auto* peer_address = reinterpret_cast<const sockaddr*>(&address_);
  // A connect interrupted by a signal completes in the background; the retry then sees EISCONN.
  retry_interrupted(
      [&] {
        const int r = connect(conn.get(), peer_address, length_);
        return r < 0 && errno == EISCONN ? 0 : r;
      },
      "connect");
  return conn;
}

Fd SocketChannel::accept_one() {
  Fd conn(retry_interrupted(
      [&] { return accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC); }, "accept"));
  configure(conn);
  return conn;
}

void SocketChannel::configure(const Fd& conn) const {
  if (options_.nodelay) {
    const int one = 1;
    check_syscall(setsockopt(conn.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one),
                  "setsockopt(TCP_NODELAY)");
  }
  if (options_.buffer_bytes > 0) {
    set_socket_buffer(conn.get(), SO_SNDBUF, options_.buffer_bytes, "net.core.wmem_max");
    set_socket_buffer(conn.get(), SO_RCVBUF, options_.buffer_bytes, "net.core.rmem_max");
  }
}

std::unique_ptr<Endpoint> SocketChannel::open(Side side, PeerKind peers) {
  if (options_.producers > 0) {  // the fan-in consumer: the server every producer connects to
    std::vector<Fd> connections;
    for (int i = 0; i < options_.producers; ++i) connections.push_back(accept_one());
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
  if (options_.busy_poll) return std::make_unique<PollingFdEndpoint>(std::move(conn), Fd(), true);
  return std::make_unique<FdEndpoint>(std::move(conn), Fd());
}

std::unique_ptr<Endpoint> SocketChannel::open_producer(int, PeerKind peers) {
  if (peers == PeerKind::process) listener_.reset();  // the consumer's, not ours to hold
  return std::make_unique<FdEndpoint>(connect_to_listener(), Fd());
}

}  // namespace ipcbench
