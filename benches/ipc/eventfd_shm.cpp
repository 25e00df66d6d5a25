// eventfd+shm: message slots in shared memory, with four eventfds in semaphore mode
// (EFD_SEMAPHORE: each read takes one) counting full and empty slots.
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "channel/slot_channel.hpp"
#include "os/fd.hpp"
#include "os/stall_watchdog.hpp"

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
    retry_interrupted([&] { return ::write(fds_[c].get(), &one, sizeof one); }, "write (eventfd)");
  }
  void post_for_close(int c) noexcept override {
    const std::uint64_t one = 1;
    (void)!::write(fds_[c].get(), &one, sizeof one);
  }
  void wait(int c) override {
    std::uint64_t value;
    retry_interrupted([&] { return ::read(fds_[c].get(), &value, sizeof value); },
                      "read (eventfd)");
  }

 private:
  Fd fds_[4];
};

}  // namespace

IPCBENCH_REGISTER_TRANSPORT(
    slot_transport<EventFds>("eventfd+shm",
                             "message slots in shared memory; eventfds (EFD_SEMAPHORE) count "
                             "full and empty slots"));

}  // namespace ipcbench
