// eventfd+shm: message slots in shared memory, with four eventfds in semaphore mode
// (EFD_SEMAPHORE: each read takes one) counting full and empty slots.
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "fd.hpp"
#include "slot_channel.hpp"
#include "stall_watchdog.hpp"

namespace ipcbench {
namespace {

class EventFds : public Notifier {
 public:
  explicit EventFds(const std::uint32_t initial[4]) {
    for (int i = 0; i < 4; ++i) {
      fds_[i] = Fd(check_syscall(eventfd(initial[i], EFD_SEMAPHORE | EFD_CLOEXEC), "eventfd"));
    }
  }
  void post(int c) override {
    const std::uint64_t one = 1;
    while (::write(fds_[c].get(), &one, sizeof one) < 0) {
      if (errno != EINTR) check_syscall(-1, "write (eventfd)");
      check_stall();
    }
  }
  void post_for_close(int c) noexcept override {
    const std::uint64_t one = 1;
    (void)!::write(fds_[c].get(), &one, sizeof one);
  }
  void wait(int c) override {
    std::uint64_t value;
    while (::read(fds_[c].get(), &value, sizeof value) < 0) {
      if (errno != EINTR) check_syscall(-1, "read (eventfd)");
      check_stall();
    }
  }

 private:
  Fd fds_[4];
};

}  // namespace

IPCBENCH_REGISTER_TRANSPORT({"eventfd+shm",
                             "message slots in shared memory; eventfds (EFD_SEMAPHORE) count "
                             "full and empty slots",
                             {},
                             [](const ChannelOptions& o) -> std::unique_ptr<Channel> {
                               return std::make_unique<SlotChannel>(
                                   o.max_message_size, [](const std::uint32_t* initial) {
                                     return std::make_unique<EventFds>(initial);
                                   });
                             }});

}  // namespace ipcbench
