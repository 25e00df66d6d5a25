#include "fd_channel.hpp"

#include <cerrno>
#include <string>

#include "stall_watchdog.hpp"
#include "system_error.hpp"

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
  std::size_t done = 0;
  while (done < buf.size()) {
    const ssize_t n = ::read(fd, buf.data() + done, buf.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n == 0) {
      closed("read", done, buf.size(), 0);
    } else if (errno == EINTR) {
      check_stall();
    } else if (is_disconnect(errno)) {
      closed("read", done, buf.size(), errno);
    } else {
      check_syscall(n, "read");
    }
  }
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

void FdEndpoint::send(std::span<const std::byte> msg) {
  write_all(out_ ? out_.get() : in_.get(), msg);
}

void FdEndpoint::recv(std::span<std::byte> msg) { read_exact(in_.get(), msg); }

std::unique_ptr<Endpoint> FdChannel::open(Side side, PeerKind peers) {
  const int mine = side == Side::a ? 0 : 1;
  if (peers == PeerKind::process) ends_[1 - mine] = Ends{};
  return std::make_unique<FdEndpoint>(std::move(ends_[mine].in), std::move(ends_[mine].out));
}

}  // namespace ipcbench
