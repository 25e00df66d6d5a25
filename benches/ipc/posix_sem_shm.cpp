// posix_sem+shm: message slots in shared memory, with process-shared POSIX semaphores (sem_init
// in the same mapping) counting full and empty slots: the classic producer-consumer.
#include <semaphore.h>

#include <new>

#include "channel/slot_channel.hpp"
#include "os/shared_memory.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

class PosixSemaphores : public Notifier {
 public:
  explicit PosixSemaphores(const std::uint32_t initial[4]) : shm_(4 * kCacheLine, "sem") {
    for (int i = 0; i < 4; ++i) check_syscall(sem_init(sem(i), 1, initial[i]), "sem_init");
  }
  ~PosixSemaphores() override {
    for (int i = 0; i < 4; ++i) sem_destroy(sem(i));
  }
  void post(int c) override { check_syscall(sem_post(sem(c)), "sem_post"); }
  void post_for_close(int c) noexcept override { sem_post(sem(c)); }
  void wait(int c) override {
    retry_interrupted([&] { return sem_wait(sem(c)); }, "sem_wait");
  }

 private:
  sem_t* sem(int i) const { return reinterpret_cast<sem_t*>(shm_.data() + i * kCacheLine); }
  SharedMemory shm_;
};

}  // namespace

IPCBENCH_REGISTER_MECHANISM(slot_mechanism<PosixSemaphores>(
    "posix_sem+shm",
    "message slots in shared memory; process-shared POSIX semaphores "
    "count full and empty slots"));

}  // namespace ipcbench
