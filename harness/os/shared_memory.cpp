#include "os/shared_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <utility>

#include "base/limit_error.hpp"
#include "base/system_error.hpp"
#include "base/units.hpp"
#include "os/fd.hpp"
#include "os/resources.hpp"

namespace ipcbench {

SharedMemory::SharedMemory(std::size_t bytes, std::string_view tag) : size_(bytes) {
  const std::string name = "/" + unique_resource_name(tag);
  Fd fd(check_syscall(shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600),
                      ("shm_open " + name).c_str()));
  // Registered for the few calls until the unlink below, in case a signal lands in between.
  OwnedResource owned(ResourceKind::posix_shm, name.substr(1));
  // Reserve the pages now: on a full /dev/shm a merely truncated segment would SIGBUS later,
  // mid-benchmark, instead of failing here with the reason.
  const int err = ftruncate(fd.get(), static_cast<off_t>(bytes)) < 0
                      ? errno
                      : posix_fallocate(fd.get(), 0, static_cast<off_t>(bytes));
  if (err != 0) {
    throw LimitError("shared memory: cannot reserve a " + format_size(bytes) +
                     " segment in /dev/shm (" + std::generic_category().message(err) +
                     "); free space there or enlarge it with: mount -o remount,size=1G /dev/shm");
  }
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd.get(), 0);
  if (p == MAP_FAILED) check_syscall(-1, "mmap (shared memory)");
  data_ = static_cast<std::byte*>(p);
}

SharedMemory::SharedMemory(SharedMemory&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SharedMemory::~SharedMemory() {
  if (data_) munmap(data_, size_);
}

}  // namespace ipcbench
