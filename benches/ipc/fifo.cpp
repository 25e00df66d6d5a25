// fifo: two named pipes (mkfifo, mode 0600) in a private mkdtemp directory, one per direction.
// Fan-in: every producer opens the a_to_b FIFO for writing; writes up to PIPE_BUF are atomic.
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "channel/fd_channel.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// Opening a FIFO blocks until the other end opens it too; EINTR lets the watchdog end a wait
// for a peer that never comes.
Fd open_fifo(const std::string& path, int flags) {
  const std::string what = "open " + path;
  return Fd(
      retry_interrupted([&] { return ::open(path.c_str(), flags | O_CLOEXEC); }, what.c_str()));
}

class FifoChannel : public Channel {
 public:
  explicit FifoChannel(bool fan_in) : dir_(make_private_dir()), fan_in_(fan_in) {
    for (auto* fifo : {&a_to_b_, &b_to_a_}) {
      const std::string path = dir_.name() + (fifo == &a_to_b_ ? "/a_to_b" : "/b_to_a");
      check_syscall(mkfifo(path.c_str(), 0600), "mkfifo");
      *fifo = OwnedResource(ResourceKind::file, path);
    }
  }

  // Both sides open a_to_b first, so neither waits on a FIFO the other has not reached yet.
  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    if (fan_in_) return std::make_unique<FdEndpoint>(open_fifo(a_to_b_.name(), O_RDONLY), Fd());
    if (side == Side::a) {
      Fd out = open_fifo(a_to_b_.name(), O_WRONLY);
      Fd in = open_fifo(b_to_a_.name(), O_RDONLY);
      return std::make_unique<FdEndpoint>(std::move(in), std::move(out));
    }
    Fd in = open_fifo(a_to_b_.name(), O_RDONLY);
    Fd out = open_fifo(b_to_a_.name(), O_WRONLY);
    return std::make_unique<FdEndpoint>(std::move(in), std::move(out));
  }

  // The consumer reads the FIFO (see open) until every producer has closed it.
  std::unique_ptr<Endpoint> open_producer(int, PeerKind) override {
    return std::make_unique<FdEndpoint>(Fd(), open_fifo(a_to_b_.name(), O_WRONLY));
  }

 private:
  OwnedResource dir_;  // declared first: removed last, after the FIFOs inside it
  OwnedResource a_to_b_;
  OwnedResource b_to_a_;
  bool fan_in_;
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"fifo",
                             "two named pipes (mkfifo) in a private directory",
                             {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
                             {.fan_in_max_message_size = PIPE_BUF},
                             [](const ChannelOptions& o) -> std::unique_ptr<Channel> {
                               return std::make_unique<FifoChannel>(o.producers > 0);
                             }});

}  // namespace ipcbench
