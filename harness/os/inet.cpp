#include "os/inet.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <stdexcept>

#include "base/system_error.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

sockaddr_in ipv4_address(const std::string& host, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    throw std::invalid_argument("'" + host + "' is not a numeric IPv4 address");
  }
  if (port < 0 || port > 65535) throw std::invalid_argument("port " + std::to_string(port));
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  return addr;
}

Fd bound_ipv4_socket(const std::string& host, int type) {
  Fd fd(check_syscall(socket(AF_INET, type | SOCK_CLOEXEC, 0), "socket"));
  const sockaddr_in addr = ipv4_address(host, 0);
  check_syscall(bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), "bind");
  return fd;
}

int local_port(int fd) {
  sockaddr_in addr{};
  socklen_t length = sizeof addr;
  check_syscall(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length), "getsockname");
  return ntohs(addr.sin_port);
}

std::string peer_address(int fd) {
  sockaddr_in addr{};
  socklen_t length = sizeof addr;
  char text[INET_ADDRSTRLEN] = {};
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0 ||
      addr.sin_family != AF_INET || !inet_ntop(AF_INET, &addr.sin_addr, text, sizeof text)) {
    return "";
  }
  return text;
}

void reset_connection(int fd) {
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;  // connect(2): dissolves a tcp socket's association
  ::connect(fd, &unspecified, sizeof unspecified);
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  const int r =
      retry_interrupted([&] { return poll(&p, 1, static_cast<int>(timeout.count())); }, "poll");
  return r > 0;
}

}  // namespace ipcbench
