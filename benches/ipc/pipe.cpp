// pipe: two anonymous pipes, one per direction (a pipe is one-way). Fan-in: one pipe whose write
// end every producer shares; writes up to PIPE_BUF are atomic, so messages never interleave.
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "base/system_error.hpp"
#include "channel/fd_channel.hpp"
#include "os/fd.hpp"

namespace ipcbench {
namespace {

std::unique_ptr<Channel> create_pipes(const ChannelOptions& options) {
  if (options.producers > 0) {
    auto [read_end, write_end] = make_pipe();
    return std::make_unique<FdChannel>(FdChannel::Ends{std::move(read_end), Fd()},
                                       duplicate_writers(write_end.get(), options.producers));
  }
  auto [a_to_b_read, a_to_b_write] = make_pipe();
  auto [b_to_a_read, b_to_a_write] = make_pipe();
  return std::make_unique<FdChannel>(
      FdChannel::Ends{std::move(b_to_a_read), std::move(a_to_b_write)},
      FdChannel::Ends{std::move(a_to_b_read), std::move(b_to_a_write)});
}

}  // namespace

IPCBENCH_REGISTER_TRANSPORT({"pipe",
                             "two anonymous pipes (pipe2), one per direction",
                             {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
                             {.fan_in_max_message_size = PIPE_BUF},
                             &create_pipes});

}  // namespace ipcbench
