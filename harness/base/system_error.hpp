// Checked system calls: every failure becomes an exception naming the call and errno's text.
// Used at the OS boundary so callers never see a bare -1.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ipcbench {

// Throws std::system_error("<what>: <strerror(errno)>"), or LimitError when the call ran out of
// file descriptors (EMFILE, ENFILE): that is this machine's limit, named with its fix.
[[noreturn]] void throw_syscall_error(int err, const char* what);

// Throws LimitError (naming ulimit -n) unless `needed` more file descriptors can be opened: for
// libraries such as libzmq that abort the whole process instead of reporting EMFILE.
void require_free_fds(std::size_t needed, const std::string& what);

// Throws (see above) when ret is -1 (the POSIX convention).
template <typename T>
T check_syscall(T ret, const char* what) {
  if (ret == static_cast<T>(-1)) throw_syscall_error(errno, what);
  return ret;
}

// For the pthread_* style of calls that return the error number instead of setting errno.
inline void check_errno_result(int err, const char* what) {
  if (err != 0) throw std::system_error(err, std::generic_category(), what);
}

}  // namespace ipcbench
