// socketpair.dgram and socketpair.seqpacket: AF_UNIX socket pairs that keep message boundaries.
// Fan-in: every producer writes its own duplicate of one end; each send() is one whole message.
#include <sys/socket.h>

#include "base/system_error.hpp"
#include "channel/datagram_endpoint.hpp"
#include "channel/fd_channel.hpp"

namespace ipcbench {
namespace {

std::unique_ptr<Endpoint> datagram_endpoint(FdChannel::Ends ends) {
  return std::make_unique<DatagramEndpoint>(ends.in ? std::move(ends.in) : std::move(ends.out));
}

std::unique_ptr<Channel> create(int type, const ChannelOptions& options, const std::string& name) {
  int fds[2];
  check_syscall(socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds), "socketpair");
  Fd a(fds[0]), b(fds[1]);
  fit_datagram(a.get(), options.max_message_size, name);
  fit_datagram(b.get(), options.max_message_size, name);
  if (options.producers > 0) {
    return std::make_unique<FdChannel>(FdChannel::Ends{std::move(a), Fd()},
                                       duplicate_writers(b.get(), options.producers),
                                       &datagram_endpoint);
  }
  return std::make_unique<FdChannel>(FdChannel::Ends{std::move(a), Fd()},
                                     FdChannel::Ends{std::move(b), Fd()}, &datagram_endpoint);
}

MechanismInfo message_socketpair(const char* name, const char* description, int type) {
  return {name,
          description,
          {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
          {.fan_in_max_message_size = std::size_t{1} << 30},
          [type, name](const ChannelOptions& o) { return create(type, o, name); }};
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM(message_socketpair(
    "socketpair.dgram", "socketpair(AF_UNIX, SOCK_DGRAM): one datagram per message", SOCK_DGRAM));
IPCBENCH_REGISTER_MECHANISM(message_socketpair("socketpair.seqpacket",
                                               "socketpair(AF_UNIX, SOCK_SEQPACKET): reliable, "
                                               "connected, one record per message",
                                               SOCK_SEQPACKET));

}  // namespace ipcbench
