// vmsplice: a pipe each way, but the sender vmsplice()s its message's pages into the pipe instead
// of copying them in, and the receiver read()s them out (one copy instead of a pipe's two). The
// pipe then holds references to the sender's own memory, so each send waits for the receiver's
// acknowledgement before the buffer may be reused (channel/handoff_endpoint).
#include <fcntl.h>
#include <sys/uio.h>

#include "base/system_error.hpp"
#include "channel/handoff_endpoint.hpp"
#include "os/io.hpp"

namespace ipcbench {
namespace {

class VmspliceEndpoint : public HandoffEndpoint {
 public:
  using HandoffEndpoint::HandoffEndpoint;

 protected:
  void lend(int out, std::span<const std::byte> msg) override {
    for (std::size_t done = 0; done < msg.size();) {
      iovec iov{const_cast<std::byte*>(msg.data() + done), msg.size() - done};
      const ssize_t n = ::vmsplice(out, &iov, 1, 0);
      if (n < 0 && errno == EPIPE) throw ChannelClosed("peer closed the channel");
      if (n < 0 && errno == EINTR) {
        check_stall();
        continue;
      }
      check_syscall(n, "vmsplice");
      done += static_cast<std::size_t>(n);
    }
  }
  void take(int in, std::span<std::byte> msg) override { read_exact(in, msg); }
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM(
    {"vmsplice",
     "pipes whose sender maps its pages in with vmsplice (no copy in), acknowledged per message",
     {.data_path = DataPath::kernel_copy,
      .waits = Waits::blocks,
      .zero_copy = true,
      .counterpart = "pipe"},
     {},
     &make_handoff_channel<VmspliceEndpoint>});

}  // namespace ipcbench
