// sysv_mq: one System V message queue (msgget/msgsnd/msgrcv) carrying both directions, told apart
// by message type, as the textbooks use it. Fan-in: every producer sends type 1 to the consumer.
// Message size is bounded by kernel.msgmax and kernel.msgmnb: larger sizes are skipped, saying so.
#include <sys/ipc.h>
#include <sys/msg.h>

#include <cstring>
#include <string>
#include <vector>

#include "base/units.hpp"
#include "bench/skip.hpp"
#include "channel/mechanism.hpp"
#include "os/kernel_limits.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr long kToB = 1, kToA = 2;  // message types: to side b (or the consumer), to side a

void check_limits(std::size_t size) {
  for (const std::string path : {"/proc/sys/kernel/msgmax", "/proc/sys/kernel/msgmnb"}) {
    const auto limit = read_kernel_limit(path);
    if (limit && size > *limit) {
      throw LimitError("sysv_mq: a " + format_size(size) + " message exceeds " +
                       path.substr(path.rfind('/') + 1) + " " + std::to_string(*limit) +
                       "; raise it with: " + sysctl_command(path, size));
    }
  }
}

class SysvEndpoint : public Endpoint {
 public:
  SysvEndpoint(int id, long send_type, long recv_type, std::size_t max_size)
      : id_(id), send_type_(send_type), recv_type_(recv_type), buf_(sizeof(long) + max_size) {}

  // The API wants the type word in front of the bytes, so every message is copied once more.
  void send(std::span<const std::byte> msg) override {
    std::memcpy(buf_.data(), &send_type_, sizeof(long));
    std::memcpy(buf_.data() + sizeof(long), msg.data(), msg.size());
    while (msgsnd(id_, buf_.data(), msg.size(), 0) < 0) retry_or_throw("msgsnd");
  }

  void recv(std::span<std::byte> msg) override {
    for (;;) {
      const ssize_t n = msgrcv(id_, buf_.data(), buf_.size() - sizeof(long), recv_type_, 0);
      if (n == static_cast<ssize_t>(msg.size())) break;
      if (n >= 0) throw std::runtime_error("msgrcv: message of " + std::to_string(n) + " B");
      retry_or_throw("msgrcv");
    }
    std::memcpy(msg.data(), buf_.data() + sizeof(long), msg.size());
  }

 private:
  static void retry_or_throw(const char* what) {
    if (errno == EIDRM) throw ChannelClosed("the message queue was removed");
    if (errno != EINTR) check_syscall(-1, what);
    check_stall();
  }
  int id_;
  long send_type_, recv_type_;
  std::vector<std::byte> buf_;
};

class SysvChannel : public Channel {
 public:
  explicit SysvChannel(const ChannelOptions& o)
      : max_size_(o.max_message_size), fan_in_(o.producers > 0) {
    check_limits(o.max_message_size);
    id_ = check_syscall(msgget(IPC_PRIVATE, IPC_CREAT | 0600), "msgget");
    handle_ = register_resource(ResourceKind::sysv_msg, std::to_string(id_));
  }
  ~SysvChannel() override { release_resource(handle_); }

  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    if (fan_in_) return std::make_unique<SysvEndpoint>(id_, kToA, kToB, max_size_);
    return side == Side::a ? std::make_unique<SysvEndpoint>(id_, kToB, kToA, max_size_)
                           : std::make_unique<SysvEndpoint>(id_, kToA, kToB, max_size_);
  }
  std::unique_ptr<Endpoint> open_producer(int, PeerKind) override {
    return std::make_unique<SysvEndpoint>(id_, kToB, kToA, max_size_);
  }

 private:
  std::size_t max_size_;
  bool fan_in_;
  int id_ = -1;
  int handle_ = -1;
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"sysv_mq",
                             "one System V message queue (msgget), direction by message type",
                             {.data_path = DataPath::kernel_copy, .waits = Waits::blocks},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             [](const ChannelOptions& o) -> std::unique_ptr<Channel> {
                               return std::make_unique<SysvChannel>(o);
                             }});

}  // namespace ipcbench
