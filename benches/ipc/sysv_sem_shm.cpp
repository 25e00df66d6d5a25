// sysv_sem+shm: message slots in shared memory, with a System V semaphore set of four (semget,
// semop) counting full and empty slots. The set's id is registered so it is removed on every exit.
#include <sys/ipc.h>
#include <sys/sem.h>

#include <string>

#include "channel/slot_channel.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

class SysvSemaphores : public Notifier {
 public:
  explicit SysvSemaphores(const std::uint32_t initial[4]) {
    id_ = check_syscall(semget(IPC_PRIVATE, 4, IPC_CREAT | 0600), "semget");
    handle_ = register_resource(ResourceKind::sysv_sem, std::to_string(id_));
    unsigned short values[4];
    for (int i = 0; i < 4; ++i) values[i] = static_cast<unsigned short>(initial[i]);
    check_syscall(semctl(id_, 0, SETALL, values), "semctl(SETALL)");
  }
  ~SysvSemaphores() override { release_resource(handle_); }
  void post(int c) override { op(c, 1); }
  void post_for_close(int c) noexcept override {
    sembuf b{static_cast<unsigned short>(c), 1, 0};
    semop(id_, &b, 1);  // fails only if the set is already gone, and then nobody waits on it
  }
  void wait(int c) override { op(c, -1); }

 private:
  void op(int c, short delta) {
    sembuf b{static_cast<unsigned short>(c), delta, 0};
    while (semop(id_, &b, 1) < 0) {
      if (errno == EIDRM) throw ChannelClosed("the semaphore set was removed");
      if (errno != EINTR) check_syscall(-1, "semop");
      check_stall();
    }
  }
  int id_ = -1;
  int handle_ = -1;
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM(slot_mechanism<SysvSemaphores>(
    "sysv_sem+shm",
    "message slots in shared memory; a System V semaphore set counts "
    "full and empty slots"));

}  // namespace ipcbench
