#include "channel/datagram_endpoint.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <string>

#include "base/limit_error.hpp"
#include "base/system_error.hpp"
#include "base/units.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// The kernel keeps this much of the send buffer for its own bookkeeping (af_unix: 32 bytes).
constexpr std::size_t kSendBufferOverhead = 32;

bool peer_went_away(int err) { return err == EPIPE || err == ECONNRESET || err == ECONNREFUSED; }

int send_buffer(int fd) {
  int value = 0;
  socklen_t len = sizeof value;
  check_syscall(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, &len), "getsockopt(SO_SNDBUF)");
  return value;
}

}  // namespace

void DatagramEndpoint::send(std::span<const std::byte> msg) {
  for (;;) {
    const ssize_t n = ::send(fd_.get(), msg.data(), msg.size(), MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(msg.size())) return;
    if (n >= 0) throw std::runtime_error("send: short datagram write");
    if (errno == EINTR) {
      check_stall();
    } else if (peer_went_away(errno)) {
      throw ChannelClosed("peer closed the socket: " + std::generic_category().message(errno));
    } else {
      check_syscall(n, "send");
    }
  }
}

void DatagramEndpoint::recv(std::span<std::byte> msg) {
  for (;;) {
    // MSG_TRUNC returns the real length, so a longer message is reported, not cut silently.
    const ssize_t n = ::recv(fd_.get(), msg.data(), msg.size(), MSG_TRUNC);
    if (n == static_cast<ssize_t>(msg.size())) return;
    if (n == 0) throw ChannelClosed("peer closed the socket");
    if (n > 0) {
      throw std::runtime_error("received a " + std::to_string(n) + "-byte message, expected " +
                               std::to_string(msg.size()));
    }
    if (errno == EINTR) {
      check_stall();
    } else if (peer_went_away(errno)) {
      throw ChannelClosed("peer closed the socket: " + std::generic_category().message(errno));
    } else {
      check_syscall(n, "recv");
    }
  }
}

void fit_datagram(int fd, std::size_t size, const std::string& mechanism) {
  const std::size_t need = size + kSendBufferOverhead;
  if (static_cast<std::size_t>(send_buffer(fd)) >= need) return;
  // The kernel doubles the value it is given; SO_SNDBUFFORCE (CAP_NET_ADMIN) passes wmem_max.
  const int request = static_cast<int>(need / 2 + 1);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &request, sizeof request) < 0) {
    check_syscall(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &request, sizeof request),
                  "setsockopt(SO_SNDBUF)");
  }
  const auto got = static_cast<std::size_t>(send_buffer(fd));
  if (got < need) {
    throw LimitError(mechanism + ": a " + format_size(size) + " message exceeds the socket send " +
                     "buffer (" + std::to_string(got) + " B); raise it with: sysctl -w " +
                     "net.core.wmem_max=" + std::to_string(need));
  }
}

}  // namespace ipcbench
