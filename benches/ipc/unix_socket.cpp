// unix: an AF_UNIX stream socket bound to a path in a private mkdtemp directory; in fan-in, one
// connection per producer into a consumer that waits with epoll. unix.busy: the same pair, whose
// receivers poll with MSG_DONTWAIT in a spin loop instead of sleeping. unix.big: with 1 MiB socket
// buffers.
#include <sys/stat.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>

#include "base/system_error.hpp"
#include "channel/socket_channel.hpp"

namespace ipcbench {
namespace {

std::unique_ptr<Channel> create_unix_socket(const ChannelOptions& o, bool busy, int buffer) {
  OwnedResource dir = make_private_dir();
  const std::string path = dir.name() + "/sock";
  sockaddr_storage storage{};
  auto* addr = reinterpret_cast<sockaddr_un*>(&storage);
  addr->sun_family = AF_UNIX;
  if (path.size() >= sizeof addr->sun_path)
    throw std::length_error("socket path too long: " + path);
  std::memcpy(addr->sun_path, path.c_str(), path.size() + 1);
  Fd listener(check_syscall(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
  check_syscall(bind(listener.get(), reinterpret_cast<sockaddr*>(addr), sizeof *addr), "bind");
  SocketChannel::Paths paths{std::move(dir), OwnedResource(ResourceKind::file, path)};
  // bind() applies the umask (often 0755); the private directory already shuts others out,
  // and the socket itself is made owner-only as well.
  check_syscall(chmod(path.c_str(), 0600), "chmod (socket)");
  check_syscall(listen(listener.get(), std::max(1, o.producers)), "listen");
  return std::make_unique<SocketChannel>(
      std::move(listener), storage, sizeof *addr, std::move(paths),
      SocketChannel::Options{.producers = o.producers, .busy_poll = busy, .buffer_bytes = buffer});
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"unix",
                             "AF_UNIX stream socket bound to a path",
                             {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             [](const ChannelOptions& o) {
                               return create_unix_socket(o, false, 0);
                             }});
IPCBENCH_REGISTER_MECHANISM({"unix.big",
                             "AF_UNIX stream socket with 1 MiB send and receive buffers",
                             {.data_path = DataPath::kernel_copy,
                              .waits = Waits::blocks,
                              .settings = "SO_SNDBUF and SO_RCVBUF 1 MiB (the default is 208 KiB)",
                              .counterpart = "unix"},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             [](const ChannelOptions& o) {
                               return create_unix_socket(o, false, 1 << 20);
                             }});
// No fan-in: a polling consumer of many connections would be epoll in a spin, another mechanism.
IPCBENCH_REGISTER_MECHANISM(
    {"unix.busy",
     "AF_UNIX stream socket, read by busy polling (MSG_DONTWAIT reads in a spin loop)",
     {.data_path = DataPath::kernel_copy,
      .waits = Waits::spins,
      .settings = "the receiver polls with non-blocking reads and never sleeps",
      .counterpart = "unix"},
     {},
     [](const ChannelOptions& o) { return create_unix_socket(o, true, 0); }});

}  // namespace ipcbench
