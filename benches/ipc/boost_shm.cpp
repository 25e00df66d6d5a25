// boost_shm: boost::interprocess managed shared memory holding one mailbox per direction: a
// message buffer allocated in the segment, guarded by an interprocess_mutex with "full" and
// "empty" interprocess_conditions. The segment is removed by name as soon as it exists.
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/managed_shared_memory.hpp>
#include <boost/interprocess/offset_ptr.hpp>
#include <boost/interprocess/sync/interprocess_condition.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>
#include <cstring>
#include <memory>
#include <string>

#include "channel/mechanism.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

namespace bip = boost::interprocess;
using Lock = bip::scoped_lock<bip::interprocess_mutex>;

struct Mailbox {
  bip::interprocess_mutex mu;
  bip::interprocess_condition filled, emptied;
  bool full = false;
  bool closed = false;
  bip::offset_ptr<std::byte> data;
};

// Waits on cv until ready() or closed, waking every 100 ms to consult the watchdog.
template <typename Ready>
void wait(Lock& lock, bip::interprocess_condition& cv, const Mailbox& box, Ready ready) {
  while (!ready() && !box.closed) {
    const auto deadline =
        boost::posix_time::microsec_clock::universal_time() + boost::posix_time::milliseconds(100);
    if (!cv.timed_wait(lock, deadline) && StallWatchdog::should_stop()) check_stall();
  }
}

class MailboxEndpoint : public Endpoint {
 public:
  MailboxEndpoint(Mailbox* out, Mailbox* in) : out_(out), in_(in) {}
  ~MailboxEndpoint() override {
    for (Mailbox* box : {out_, in_}) {
      Lock lock(box->mu);
      box->closed = true;
      box->filled.notify_all();
      box->emptied.notify_all();
    }
  }
  void send(std::span<const std::byte> msg) override {
    Lock lock(out_->mu);
    wait(lock, out_->emptied, *out_, [&] { return !out_->full; });
    if (out_->closed) throw ChannelClosed("the peer closed the mailbox");
    std::memcpy(out_->data.get(), msg.data(), msg.size());
    out_->full = true;
    out_->filled.notify_one();
  }
  void recv(std::span<std::byte> msg) override {
    Lock lock(in_->mu);
    wait(lock, in_->filled, *in_, [&] { return in_->full; });
    if (!in_->full) throw ChannelClosed("the peer closed the mailbox");
    std::memcpy(msg.data(), in_->data.get(), msg.size());
    in_->full = false;
    in_->emptied.notify_one();
  }

 private:
  Mailbox *out_, *in_;
};

class ManagedShmChannel : public Channel {
 public:
  explicit ManagedShmChannel(std::size_t max_message) {
    const std::string name = unique_resource_name("bshm");
    OwnedResource owned(ResourceKind::posix_shm, name);  // removed when this scope ends
    segment_ = std::make_unique<bip::managed_shared_memory>(bip::create_only, name.c_str(),
                                                            2 * max_message + 64 * 1024, nullptr,
                                                            bip::permissions(0600));
    for (auto* box : {&a_to_b_, &b_to_a_}) {
      *box = segment_->construct<Mailbox>(bip::anonymous_instance)();
      (*box)->data =
          static_cast<std::byte*>(segment_->allocate(std::max<std::size_t>(max_message, 1)));
    }
  }
  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    if (side == Side::a) return std::make_unique<MailboxEndpoint>(a_to_b_, b_to_a_);
    return std::make_unique<MailboxEndpoint>(b_to_a_, a_to_b_);
  }

 private:
  std::unique_ptr<bip::managed_shared_memory> segment_;
  Mailbox* a_to_b_ = nullptr;
  Mailbox* b_to_a_ = nullptr;
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM({"boost_shm",
                             "boost::interprocess managed shared memory: a mailbox per direction "
                             "with interprocess_mutex and interprocess_condition",
                             {.data_path = DataPath::shared_memory,
                              .waits = Waits::blocks,
                              .library = "Boost.Interprocess"},
                             {},
                             [](const ChannelOptions& o) -> std::unique_ptr<Channel> {
                               return std::make_unique<ManagedShmChannel>(o.max_message_size);
                             }});

}  // namespace ipcbench
