// tcp: a loopback TCP connection (127.0.0.1 only, ephemeral port) with TCP_NODELAY; in fan-in,
// one connection per producer into a consumer that waits with epoll. tcp.big: with 1 MiB socket
// buffers. Between hosts (ipcbench serve), the same connection from the client to the server's
// address.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>

#include "base/system_error.hpp"
#include "channel/data_port_secret.hpp"
#include "channel/fd_channel.hpp"
#include "channel/socket_channel.hpp"
#include "os/inet.hpp"
#include "os/io.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

std::unique_ptr<Channel> create_tcp(const ChannelOptions& o, int buffer) {
  Fd listener(check_syscall(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
  sockaddr_storage storage{};
  auto* addr = reinterpret_cast<sockaddr_in*>(&storage);
  addr->sin_family = AF_INET;
  addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr->sin_port = 0;  // the kernel picks a free port: parallel runs never collide
  check_syscall(bind(listener.get(), reinterpret_cast<sockaddr*>(addr), sizeof *addr), "bind");
  socklen_t length = sizeof *addr;
  check_syscall(getsockname(listener.get(), reinterpret_cast<sockaddr*>(addr), &length),
                "getsockname");
  check_syscall(listen(listener.get(), std::max(1, o.producers)), "listen");
  return std::make_unique<SocketChannel>(
      std::move(listener), storage, length, SocketChannel::Paths{},
      SocketChannel::Options{.nodelay = true, .producers = o.producers, .buffer_bytes = buffer});
}

void set_nodelay(int fd) {
  const int on = 1;
  check_syscall(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on),
                "setsockopt(TCP_NODELAY)");
}

// Accepts connections one at a time until one sends the run's secret within kSecretWait; any
// other is closed unanswered.
class TcpListener : public RemoteListener {
 public:
  explicit TcpListener(const DataPortSpec& spec)
      : fd_(bound_ipv4_socket(spec.host, SOCK_STREAM)), secret_(spec.secret) {
    check_syscall(listen(fd_.get(), kBacklog), "listen");
  }
  int port() const override { return local_port(fd_.get()); }
  std::unique_ptr<Endpoint> accept(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_readable(fd_.get(), left)) {
        throw ChannelClosed("the client never connected with the run's secret");
      }
      Fd conn(retry_interrupted([&] { return accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC); },
                                "accept"));
      if (!stream_sent_secret(conn.get(), secret_, std::min(left, kSecretWait))) continue;
      set_nodelay(conn.get());
      return std::make_unique<FdEndpoint>(std::move(conn), Fd());
    }
  }

 private:
  static constexpr int kBacklog = 8;
  Fd fd_;
  std::string secret_;
};

std::unique_ptr<Endpoint> connect_tcp(const DataPortSpec& spec) {
  Fd fd(check_syscall(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
  const sockaddr_in addr = ipv4_address(spec.host, spec.port);
  retry_interrupted(
      [&] { return connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr); },
      "connect");
  set_nodelay(fd.get());
  write_all(fd.get(), std::as_bytes(std::span(spec.secret)));
  return std::make_unique<FdEndpoint>(std::move(fd), Fd());
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"tcp",
                             "loopback TCP (127.0.0.1) with TCP_NODELAY",
                             {.data_path = DataPath::network_stack, .waits = Waits::blocks},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             [](const ChannelOptions& o) { return create_tcp(o, 0); },
                             RemoteLink{
                                 [](const DataPortSpec& spec) -> std::unique_ptr<RemoteListener> {
                                   return std::make_unique<TcpListener>(spec);
                                 },
                                 &connect_tcp}});
IPCBENCH_REGISTER_MECHANISM(
    {"tcp.big",
     "loopback TCP with TCP_NODELAY and 1 MiB send and receive buffers",
     {.data_path = DataPath::network_stack,
      .waits = Waits::blocks,
      .settings = "SO_SNDBUF and SO_RCVBUF 1 MiB (the default grows with tcp_wmem and tcp_rmem)",
      .counterpart = "tcp"},
     {.fan_in_max_message_size = std::size_t{1} << 30},
     [](const ChannelOptions& o) { return create_tcp(o, 1 << 20); }});

}  // namespace ipcbench
