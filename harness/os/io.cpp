#include "os/io.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "base/channel_closed.hpp"
#include "base/system_error.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

[[noreturn]] void closed(const char* op, std::size_t done, std::size_t total, int err) {
  std::string what = std::string("peer closed the channel during ") + op + " (" +
                     std::to_string(done) + " of " + std::to_string(total) + " bytes)";
  if (err) what += ": " + std::generic_category().message(err);
  throw ChannelClosed(what);
}

bool is_disconnect(int err) { return err == EPIPE || err == ECONNRESET; }

}  // namespace

void read_exact(int fd, std::span<std::byte> buf) {
  if (!read_exact_or_eof(fd, buf)) closed("read", 0, buf.size(), 0);
}

bool read_exact_or_eof(int fd, std::span<std::byte> buf) {
  std::size_t done = 0;
  while (done < buf.size()) {
    const ssize_t n = ::read(fd, buf.data() + done, buf.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n == 0) {
      if (done == 0) return false;
      closed("read", done, buf.size(), 0);
    } else if (errno == EINTR) {
      check_stall();
    } else if (is_disconnect(errno)) {
      closed("read", done, buf.size(), errno);
    } else {
      check_syscall(n, "read");
    }
  }
  return true;
}

void read_exact_polling(int fd, std::span<std::byte> buf, bool socket) {
  std::size_t done = 0;
  spin_until([&] {
    const ssize_t n = socket ? ::recv(fd, buf.data() + done, buf.size() - done, MSG_DONTWAIT)
                             : ::read(fd, buf.data() + done, buf.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n == 0) {
      closed("read", done, buf.size(), 0);
    } else if (is_disconnect(errno)) {
      closed("read", done, buf.size(), errno);
    } else if (errno != EAGAIN && errno != EINTR) {
      check_syscall(n, "read");
    }
    return done == buf.size();
  });
}

void write_all(int fd, std::span<const std::byte> buf) {
  std::size_t done = 0;
  while (done < buf.size()) {
    const ssize_t n = ::write(fd, buf.data() + done, buf.size() - done);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
    } else if (errno == EINTR) {
      check_stall();
    } else if (is_disconnect(errno)) {
      closed("write", done, buf.size(), errno);
    } else {
      check_syscall(n, "write");
    }
  }
}

}  // namespace ipcbench
