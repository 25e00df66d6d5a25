#include "workers/echo_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "base/system_error.hpp"

namespace ipcbench {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
}

void echo_until_closed(int fd) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client closed (or reset): this connection is done
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::send(fd, buf + done, static_cast<std::size_t>(n - done), MSG_NOSIGNAL);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return;
      done += w;
    }
  }
}

}  // namespace

EchoServer::EchoServer()
    : listener_(check_syscall(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket")) {
  sockaddr_in addr = loopback(0);
  check_syscall(bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
  socklen_t length = sizeof addr;
  check_syscall(getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &length),
                "getsockname");
  port_ = ntohs(addr.sin_port);
  check_syscall(listen(listener_.get(), SOMAXCONN), "listen");
  acceptor_ = std::thread([this] { accept_loop(); });
}

EchoServer::~EchoServer() {
  // shutdown() wakes the blocked accept() and read() calls; the threads then end on their own.
  ::shutdown(listener_.get(), SHUT_RDWR);
  acceptor_.join();
  std::lock_guard lock(mutex_);
  for (const int fd : connections_) ::shutdown(fd, SHUT_RDWR);
  for (auto& t : workers_) t.join();
  for (const int fd : connections_) ::close(fd);
}

void EchoServer::accept_loop() {
  for (;;) {
    const int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0 && (errno == EINTR || errno == ECONNABORTED)) continue;
    if (fd < 0) return;  // shut down by the destructor
    std::lock_guard lock(mutex_);
    connections_.push_back(fd);
    workers_.emplace_back([fd] { echo_until_closed(fd); });
  }
}

Fd connect_loopback(std::uint16_t port) {
  Fd fd(check_syscall(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
  const int one = 1;
  check_syscall(setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), "TCP_NODELAY");
  const sockaddr_in addr = loopback(port);
  check_syscall(connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr),
                "connect to the echo server");
  return fd;
}

}  // namespace ipcbench
