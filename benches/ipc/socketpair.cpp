// socketpair: one connected AF_UNIX SOCK_STREAM pair, bidirectional.
#include <sys/socket.h>

#include "base/system_error.hpp"
#include "channel/fd_channel.hpp"

namespace ipcbench {
namespace {

std::unique_ptr<Channel> create_socketpair(const ChannelOptions&) {
  int fds[2];
  check_syscall(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), "socketpair");
  return std::make_unique<FdChannel>(FdChannel::Ends{Fd(fds[0]), Fd()},
                                     FdChannel::Ends{Fd(fds[1]), Fd()});
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"socketpair",
                             "socketpair(AF_UNIX, SOCK_STREAM)",
                             {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
                             {},
                             &create_socketpair});

}  // namespace ipcbench
