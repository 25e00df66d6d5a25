#include "base/system_error.hpp"

#include <sys/resource.h>

#include <filesystem>

#include "base/limit_error.hpp"

namespace ipcbench {

namespace {

std::size_t fd_limit() {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  return static_cast<std::size_t>(lim.rlim_cur);
}

std::string fd_limit_text(const std::string& what) {
  return what + ": this process may open only " + std::to_string(fd_limit()) +
         " file descriptors (ulimit -n); raise it with: ulimit -n 4096";
}

}  // namespace

void require_free_fds(std::size_t needed, const std::string& what) {
  std::error_code ec;
  std::size_t open = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++open;
  }
  if (!ec && open + needed > fd_limit()) throw LimitError(fd_limit_text(what));
}

void throw_syscall_error(int err, const char* what) {
  if (err == EMFILE) throw LimitError(fd_limit_text(what));
  if (err == ENFILE) {
    throw LimitError(std::string(what) +
                     ": the system-wide file limit is reached; raise it with: sysctl -w "
                     "fs.file-max=1048576");
  }
  throw std::system_error(err, std::generic_category(), what);
}

}  // namespace ipcbench
