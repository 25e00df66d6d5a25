// pipe: two anonymous pipes, one per direction (a pipe is one-way).
#include <fcntl.h>
#include <unistd.h>

#include "fd_channel.hpp"
#include "system_error.hpp"

namespace ipcbench {
namespace {

std::unique_ptr<Channel> create_pipes(const ChannelOptions&) {
  int a_to_b[2], b_to_a[2];
  check_syscall(pipe2(a_to_b, O_CLOEXEC), "pipe2");
  Fd a_to_b_read(a_to_b[0]), a_to_b_write(a_to_b[1]);
  check_syscall(pipe2(b_to_a, O_CLOEXEC), "pipe2");
  Fd b_to_a_read(b_to_a[0]), b_to_a_write(b_to_a[1]);
  return std::make_unique<FdChannel>(
      FdChannel::Ends{std::move(b_to_a_read), std::move(a_to_b_write)},
      FdChannel::Ends{std::move(a_to_b_read), std::move(b_to_a_write)});
}

}  // namespace

IPCBENCH_REGISTER_TRANSPORT(
    {"pipe", "two anonymous pipes (pipe2), one per direction", {}, &create_pipes});

}  // namespace ipcbench
