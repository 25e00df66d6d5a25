// tcp: a loopback TCP connection (127.0.0.1 only, ephemeral port) with TCP_NODELAY; in fan-in,
// one connection per producer into a consumer that waits with epoll. tcp.big: with 1 MiB socket
// buffers.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

#include "base/system_error.hpp"
#include "channel/socket_channel.hpp"

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

}  // namespace

IPCBENCH_REGISTER_TRANSPORT({"tcp",
                             "loopback TCP (127.0.0.1) with TCP_NODELAY",
                             {.data_path = DataPath::network_stack, .waits = Waits::blocks},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             [](const ChannelOptions& o) { return create_tcp(o, 0); }});
IPCBENCH_REGISTER_TRANSPORT(
    {"tcp.big",
     "loopback TCP with TCP_NODELAY and 1 MiB send and receive buffers",
     {.data_path = DataPath::network_stack,
      .waits = Waits::blocks,
      .settings = "SO_SNDBUF and SO_RCVBUF 1 MiB (the default grows with tcp_wmem and tcp_rmem)",
      .counterpart = "tcp"},
     {.fan_in_max_message_size = std::size_t{1} << 30},
     [](const ChannelOptions& o) { return create_tcp(o, 1 << 20); }});

}  // namespace ipcbench
