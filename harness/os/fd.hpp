// An owned file descriptor: closed exactly once, movable, never copied.
// Every fd ipcbench opens lives in one of these so no error path leaks it.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "base/system_error.hpp"

namespace ipcbench {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A close-on-exec pipe: {read end, write end}. `what` names the pipe in the error.
inline std::pair<Fd, Fd> make_pipe(const char* what = "pipe2") {
  int fds[2];
  check_syscall(pipe2(fds, O_CLOEXEC), what);
  return {Fd(fds[0]), Fd(fds[1])};
}

}  // namespace ipcbench
