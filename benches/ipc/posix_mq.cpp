// posix_mq: POSIX message queues (mq_open), one per direction; unlinked as soon as they are open,
// so forked peers share them and no name outlives the run. Fan-in: every producer sends to one.
// Message size and depth are bounded by /proc/sys/fs/mqueue: larger sizes are skipped, saying so.
#include <fcntl.h>
#include <mqueue.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/units.hpp"
#include "bench/skip.hpp"
#include "channel/fd_channel.hpp"
#include "os/kernel_limits.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

const std::string kMsgsizeMax = "/proc/sys/fs/mqueue/msgsize_max";
const std::string kMsgMax = "/proc/sys/fs/mqueue/msg_max";
constexpr long kDefaultQueueDepth = 10;  // the kernel's default queue depth

[[noreturn]] void throw_open_error(int err, std::size_t size) {
  const auto msgsize_max = read_kernel_limit(kMsgsizeMax).value_or(0);
  if (err == EINVAL && size > msgsize_max) {
    throw LimitError("posix_mq: a " + format_size(size) + " message exceeds msgsize_max " +
                     std::to_string(msgsize_max) +
                     "; raise it with: " + sysctl_command(kMsgsizeMax, size));
  }
  if (err == EMFILE) {
    throw LimitError("posix_mq: a queue of " + std::to_string(kDefaultQueueDepth) + " x " +
                     format_size(size) + " exceeds RLIMIT_MSGQUEUE; raise it with: ulimit -q " +
                     "unlimited");
  }
  throw std::system_error(err, std::generic_category(), "mq_open");
}

Fd open_queue(std::size_t size) {
  // A shallower queue would be a different benchmark under the same name: skip instead.
  if (const auto msg_max = read_kernel_limit(kMsgMax);
      msg_max && *msg_max < static_cast<std::size_t>(kDefaultQueueDepth)) {
    throw LimitError("posix_mq: a queue of depth " + std::to_string(kDefaultQueueDepth) +
                     " exceeds msg_max " + std::to_string(*msg_max) +
                     "; raise it with: " + sysctl_command(kMsgMax, kDefaultQueueDepth));
  }
  mq_attr attr{};
  attr.mq_maxmsg = kDefaultQueueDepth;
  attr.mq_msgsize = static_cast<long>(std::max<std::size_t>(size, 1));
  const std::string name = "/" + unique_resource_name("mq");
  const mqd_t q = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
  if (q < 0) throw_open_error(errno, size);
  OwnedResource owned(ResourceKind::posix_mq, name);  // unlinked when this scope ends
  return Fd(q);  // on Linux a queue descriptor is a file descriptor
}

class QueueEndpoint : public Endpoint {
 public:
  QueueEndpoint(Fd in, Fd out) : in_(std::move(in)), out_(std::move(out)) {
    if (in_) {
      mq_attr attr{};
      check_syscall(mq_getattr(in_.get(), &attr), "mq_getattr");
      scratch_.resize(static_cast<std::size_t>(attr.mq_msgsize));
    }
  }
  void send(std::span<const std::byte> msg) override {
    const auto* data = reinterpret_cast<const char*>(msg.data());
    retry_interrupted([&] { return mq_send(out_.get(), data, msg.size(), 0); }, "mq_send");
  }
  // mq_receive needs room for the queue's largest message; a shorter one (an acknowledgement)
  // goes through a scratch buffer.
  void recv(std::span<std::byte> msg) override {
    const bool direct = msg.size() >= scratch_.size();
    char* dst = reinterpret_cast<char*>(direct ? msg.data() : scratch_.data());
    const ssize_t n = retry_interrupted(
        [&] { return mq_receive(in_.get(), dst, direct ? msg.size() : scratch_.size(), nullptr); },
        "mq_receive");
    if (n != static_cast<ssize_t>(msg.size())) {
      throw std::runtime_error("mq_receive: message of " + std::to_string(n) + " B");
    }
    if (!direct) std::memcpy(msg.data(), scratch_.data(), msg.size());
  }

 private:
  Fd in_, out_;
  std::vector<std::byte> scratch_;
};

std::unique_ptr<Endpoint> queue_endpoint(FdChannel::Ends ends) {
  return std::make_unique<QueueEndpoint>(std::move(ends.in), std::move(ends.out));
}

std::unique_ptr<Channel> create_queues(const ChannelOptions& o) {
  if (o.producers > 0) {
    Fd q = open_queue(o.max_message_size);
    auto producers = duplicate_writers(q.get(), o.producers);
    return std::make_unique<FdChannel>(FdChannel::Ends{std::move(q), Fd()}, std::move(producers),
                                       &queue_endpoint);
  }
  Fd a_to_b = open_queue(o.max_message_size);
  Fd b_to_a = open_queue(o.max_message_size);
  Fd a_to_b_in(check_syscall(fcntl(a_to_b.get(), F_DUPFD_CLOEXEC, 0), "fcntl(F_DUPFD)"));
  Fd b_to_a_out(check_syscall(fcntl(b_to_a.get(), F_DUPFD_CLOEXEC, 0), "fcntl(F_DUPFD)"));
  return std::make_unique<FdChannel>(FdChannel::Ends{std::move(b_to_a), std::move(a_to_b)},
                                     FdChannel::Ends{std::move(a_to_b_in), std::move(b_to_a_out)},
                                     &queue_endpoint);
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"posix_mq",
                             "POSIX message queues (mq_open), one per direction, depth 10",
                             {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             &create_queues});

}  // namespace ipcbench
