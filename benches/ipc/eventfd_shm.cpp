// eventfd+shm: message slots in shared memory, with four eventfds in semaphore mode
// (EFD_SEMAPHORE: each read takes one) counting full and empty slots. eventfd+shm.busy: the same,
// waiting by polling the non-blocking eventfds in a spin loop instead of sleeping in read().
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "channel/slot_channel.hpp"
#include "os/fd.hpp"
#include "os/io.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

template <bool Polling>
class EventFds : public Notifier {
 public:
  explicit EventFds(const std::uint32_t initial[4]) {
    const int flags = EFD_SEMAPHORE | EFD_CLOEXEC | (Polling ? EFD_NONBLOCK : 0);
    for (int i = 0; i < 4; ++i) {
      fds_[i] = Fd(check_syscall(eventfd(initial[i], flags), "eventfd"));
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
    if constexpr (Polling) {
      spin_until([&] {
        const ssize_t n = ::read(fds_[c].get(), &value, sizeof value);
        if (n < 0 && errno != EAGAIN && errno != EINTR) check_syscall(n, "read (eventfd)");
        return n > 0;
      });
    } else {
      retry_interrupted([&] { return ::read(fds_[c].get(), &value, sizeof value); },
                        "read (eventfd)");
    }
  }

 private:
  Fd fds_[4];
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM(
    slot_mechanism<EventFds<false>>("eventfd+shm",
                                    "message slots in shared memory; eventfds (EFD_SEMAPHORE) "
                                    "count full and empty slots"));
IPCBENCH_REGISTER_MECHANISM(slot_mechanism<EventFds<true>>(
    "eventfd+shm.busy",
    "message slots in shared memory; non-blocking eventfds polled in a spin loop",
    {.data_path = DataPath::shared_memory,
     .waits = Waits::spins,
     .settings = "waits poll the non-blocking eventfds and never sleep",
     .counterpart = "eventfd+shm"}));

}  // namespace ipcbench
