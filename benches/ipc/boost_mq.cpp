// boost_mq: boost::interprocess::message_queue, one per direction (fan-in: one, every producer
// sending). The queue lives in a POSIX shared-memory object that is removed by name as soon as it
// exists; forked peers keep the mapping. Waits are timed so a blocked call can see the watchdog.
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "channel/mechanism.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

namespace bip = boost::interprocess;
constexpr std::size_t kQueueDepth = 10;

std::shared_ptr<bip::message_queue> make_queue(std::size_t size) {
  const std::string name = unique_resource_name("bmq");
  OwnedResource owned(ResourceKind::posix_shm, name);  // removed when this scope ends
  return std::make_shared<bip::message_queue>(bip::create_only, name.c_str(), kQueueDepth,
                                              std::max<std::size_t>(size, 1),
                                              bip::permissions(0600));
}

boost::posix_time::ptime soon() {
  return boost::posix_time::microsec_clock::universal_time() + boost::posix_time::milliseconds(100);
}

class BoostQueueEndpoint : public Endpoint {
 public:
  BoostQueueEndpoint(std::shared_ptr<bip::message_queue> in,
                     std::shared_ptr<bip::message_queue> out)
      : in_(std::move(in)), out_(std::move(out)) {
    if (in_) scratch_.resize(in_->get_max_msg_size());
  }
  void send(std::span<const std::byte> msg) override {
    while (!out_->timed_send(msg.data(), msg.size(), 0, soon())) waited();
  }
  // The queue insists on a buffer of its maximum message size; a shorter message (an
  // acknowledgement) goes through a scratch buffer.
  void recv(std::span<std::byte> msg) override {
    const bool direct = msg.size() >= scratch_.size();
    void* dst = direct ? static_cast<void*>(msg.data()) : scratch_.data();
    bip::message_queue::size_type got = 0;
    unsigned priority = 0;
    while (!in_->timed_receive(dst, direct ? msg.size() : scratch_.size(), got, priority, soon())) {
      waited();
    }
    if (got != msg.size()) {
      throw std::runtime_error("boost_mq: message of " + std::to_string(got) + " B");
    }
    if (!direct) std::memcpy(msg.data(), scratch_.data(), msg.size());
  }

 private:
  static void waited() {
    if (StallWatchdog::should_stop()) check_stall();
  }
  std::shared_ptr<bip::message_queue> in_, out_;
  std::vector<std::byte> scratch_;
};

class BoostQueueChannel : public Channel {
 public:
  explicit BoostQueueChannel(const ChannelOptions& o)
      : a_to_b_(o.producers > 0 ? nullptr : make_queue(o.max_message_size)),
        b_to_a_(make_queue(o.max_message_size)) {}
  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    if (side == Side::a) return std::make_unique<BoostQueueEndpoint>(b_to_a_, a_to_b_);
    return std::make_unique<BoostQueueEndpoint>(a_to_b_, b_to_a_);
  }
  std::unique_ptr<Endpoint> open_producer(int, PeerKind) override {
    return std::make_unique<BoostQueueEndpoint>(nullptr, b_to_a_);
  }

 private:
  std::shared_ptr<bip::message_queue> a_to_b_, b_to_a_;
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"boost_mq",
                             "boost::interprocess::message_queue, one per direction, depth 10",
                             {.data_path = DataPath::shared_memory,
                              .waits = Waits::blocks,
                              .library = "Boost.Interprocess"},
                             {.fan_in_max_message_size = std::size_t{1} << 30},
                             [](const ChannelOptions& o) -> std::unique_ptr<Channel> {
                               return std::make_unique<BoostQueueChannel>(o);
                             }});

}  // namespace ipcbench
