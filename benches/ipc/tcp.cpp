// tcp: a loopback TCP connection (127.0.0.1 only, ephemeral port) with TCP_NODELAY.
#include <arpa/inet.h>
#include <netinet/in.h>

#include "base/system_error.hpp"
#include "channel/socket_channel.hpp"

namespace ipcbench {
namespace {

std::unique_ptr<Channel> create_tcp(const ChannelOptions&) {
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
  check_syscall(listen(listener.get(), 1), "listen");
  return std::make_unique<SocketChannel>(std::move(listener), storage, length,
                                         SocketChannel::Paths{}, true);
}

}  // namespace

IPCBENCH_REGISTER_TRANSPORT({"tcp",
                             "loopback TCP (127.0.0.1) with TCP_NODELAY",
                             {.data_path = DataPath::network_stack, .waits = Waits::blocks},
                             {},
                             &create_tcp});

}  // namespace ipcbench
