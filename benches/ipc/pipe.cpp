// pipe: two anonymous pipes, one per direction (a pipe is one-way). Fan-in: one pipe whose write
// end every producer shares; writes up to PIPE_BUF are atomic, so messages never interleave.
// Fan-out: one pipe per consumer, the producer writing each message to every one in turn.
// pipe.big: the same with each pipe's buffer raised from 64 KiB to 1 MiB (F_SETPIPE_SZ).
// pipe.busy: the same with a receiver that never sleeps: non-blocking reads in a spin loop.
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <vector>

#include "base/limit_error.hpp"
#include "base/system_error.hpp"
#include "base/units.hpp"
#include "channel/fd_channel.hpp"
#include "os/fd.hpp"
#include "os/kernel_limits.hpp"

namespace ipcbench {
namespace {

constexpr int kBigPipe = 1 << 20;
constexpr std::size_t kAnySize = std::size_t{1} << 30;
const char* const kPipeMaxSize = "/proc/sys/fs/pipe-max-size";

// A pipe whose buffer holds `buffer` bytes (0: the kernel's default).
std::pair<Fd, Fd> make_sized_pipe(int buffer) {
  auto ends = make_pipe();
  if (buffer == 0 || fcntl(ends.second.get(), F_SETPIPE_SZ, buffer) >= 0) return ends;
  if (errno == EPERM) {  // only an unprivileged user is held to fs.pipe-max-size
    throw LimitError("pipe.big: a " + format_size(kBigPipe) +
                     " pipe buffer exceeds pipe-max-size " +
                     std::to_string(read_kernel_limit(kPipeMaxSize).value_or(0)) +
                     "; raise it with: " + sysctl_command(kPipeMaxSize, kBigPipe));
  }
  check_syscall(-1, "fcntl(F_SETPIPE_SZ)");
  return ends;
}

// Each side's read end becomes non-blocking in the side that reads it (its own file description:
// the write end stays blocking) and is polled.
std::unique_ptr<Endpoint> polling_end(FdChannel::Ends ends) {
  if (ends.in) {
    const int flags = check_syscall(fcntl(ends.in.get(), F_GETFL), "fcntl(F_GETFL)");
    check_syscall(fcntl(ends.in.get(), F_SETFL, flags | O_NONBLOCK), "fcntl(O_NONBLOCK)");
  }
  return std::make_unique<PollingFdEndpoint>(std::move(ends.in), std::move(ends.out), false);
}

std::unique_ptr<Channel> create_pipes(const ChannelOptions& options, int buffer, bool busy) {
  FdChannel::MakeEndpoint make = busy ? FdChannel::MakeEndpoint(&polling_end) : nullptr;
  if (options.consumers > 0) {
    std::vector<Fd> outs;
    std::vector<FdChannel::Ends> consumers;
    for (int i = 0; i < options.consumers; ++i) {
      auto [read_end, write_end] = make_sized_pipe(buffer);
      outs.push_back(std::move(write_end));
      consumers.push_back({std::move(read_end), Fd()});
    }
    return std::make_unique<FdChannel>(std::move(outs), std::move(consumers), make);
  }
  if (options.producers > 0) {
    auto [read_end, write_end] = make_sized_pipe(buffer);
    return std::make_unique<FdChannel>(FdChannel::Ends{std::move(read_end), Fd()},
                                       duplicate_writers(write_end.get(), options.producers), make);
  }
  auto [a_to_b_read, a_to_b_write] = make_sized_pipe(buffer);
  auto [b_to_a_read, b_to_a_write] = make_sized_pipe(buffer);
  return std::make_unique<FdChannel>(
      FdChannel::Ends{std::move(b_to_a_read), std::move(a_to_b_write)},
      FdChannel::Ends{std::move(a_to_b_read), std::move(b_to_a_write)}, make);
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"pipe",
                             "two anonymous pipes (pipe2), one per direction",
                             {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
                             {.fan_in_max_message_size = PIPE_BUF,
                              .fan_out_max_message_size = kAnySize},
                             [](const ChannelOptions& o) { return create_pipes(o, 0, false); }});
IPCBENCH_REGISTER_MECHANISM(
    {"pipe.big",
     "two anonymous pipes with 1 MiB buffers (F_SETPIPE_SZ)",
     {.data_path = DataPath::kernel_copy,
      .waits = Waits::blocks,
      .settings = "pipe buffer 1 MiB (F_SETPIPE_SZ; the default is 64 KiB)",
      .counterpart = "pipe"},
     {.fan_in_max_message_size = PIPE_BUF, .fan_out_max_message_size = kAnySize},
     [](const ChannelOptions& o) { return create_pipes(o, kBigPipe, false); }});
IPCBENCH_REGISTER_MECHANISM(
    {"pipe.busy",
     "two anonymous pipes, read by busy polling (non-blocking reads in a spin loop)",
     {.data_path = DataPath::kernel_copy,
      .waits = Waits::spins,
      .settings = "the receiver polls with non-blocking reads and never sleeps",
      .counterpart = "pipe"},
     {.fan_in_max_message_size = PIPE_BUF, .fan_out_max_message_size = kAnySize},
     [](const ChannelOptions& o) { return create_pipes(o, 0, true); }});

}  // namespace ipcbench
