// cma: cross-memory attach. The sender writes only where its message lies (pid, address, length)
// into a pipe; the receiver copies the bytes straight out of the sender's memory with
// process_vm_readv (one copy, no kernel buffer in between) and acknowledges, after which the
// sender may reuse its buffer (channel/handoff_endpoint). A pipe rather than an eventfd carries
// the notification: it holds the address too, and a dead peer shows as EOF.
#include <sys/uio.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "base/limit_error.hpp"
#include "base/system_error.hpp"
#include "channel/handoff_endpoint.hpp"
#include "os/io.hpp"

namespace ipcbench {
namespace {

struct Lent {
  std::int64_t pid;
  std::uint64_t address;
  std::uint64_t length;
};

class CmaEndpoint : public HandoffEndpoint {
 public:
  using HandoffEndpoint::HandoffEndpoint;

 protected:
  void lend(int out, std::span<const std::byte> msg) override {
    const Lent lent{getpid(), reinterpret_cast<std::uintptr_t>(msg.data()), msg.size()};
    write_all(out, std::as_bytes(std::span(&lent, 1)));
  }

  void take(int in, std::span<std::byte> msg) override {
    Lent lent{};
    read_exact(in, std::as_writable_bytes(std::span(&lent, 1)));
    if (lent.length != msg.size()) {
      throw std::runtime_error("cma: the sender lent " + std::to_string(lent.length) +
                               " bytes, expected " + std::to_string(msg.size()));
    }
    for (std::size_t done = 0; done < msg.size();) {
      iovec local{msg.data() + done, msg.size() - done};
      iovec remote{reinterpret_cast<void*>(lent.address + done), msg.size() - done};
      const ssize_t n = process_vm_readv(static_cast<pid_t>(lent.pid), &local, 1, &remote, 1, 0);
      if (n < 0 && errno == ESRCH) throw ChannelClosed("the sending process is gone");
      if (n < 0 && errno == EPERM) {
        throw LimitError(
            "cma: process_vm_readv not permitted (ptrace access to the peer; see "
            "kernel.yama.ptrace_scope)");
      }
      check_syscall(n, "process_vm_readv");
      done += static_cast<std::size_t>(n);
    }
  }
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM(
    {"cma",
     "process_vm_readv straight from the sender's memory, notified and acknowledged by pipes",
     {.data_path = DataPath::kernel_copy,
      .waits = Waits::blocks,
      .zero_copy = true,
      .counterpart = "pipe"},
     {},
     &make_handoff_channel<CmaEndpoint>});

}  // namespace ipcbench
