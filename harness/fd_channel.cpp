#include "fd_channel.hpp"

#include <fcntl.h>

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

FdChannel::FdChannel(Ends a, Ends b, MakeEndpoint make) : make_(std::move(make)) {
  roles_.push_back(std::move(a));
  roles_.push_back(std::move(b));
}

FdChannel::FdChannel(Ends consumer, std::vector<Ends> producers, MakeEndpoint make)
    : make_(std::move(make)) {
  roles_.push_back(std::move(consumer));
  for (auto& p : producers) roles_.push_back(std::move(p));
}

std::unique_ptr<Endpoint> FdChannel::open(Side side, PeerKind peers) {
  return take(side == Side::a ? 0 : 1, peers);
}

std::unique_ptr<Endpoint> FdChannel::open_producer(int index, PeerKind peers) {
  return take(static_cast<std::size_t>(index) + 1, peers);
}

std::unique_ptr<Endpoint> FdChannel::take(std::size_t role, PeerKind peers) {
  if (role >= roles_.size()) throw std::logic_error("FdChannel: no such role");
  auto mine = std::move(roles_[role]);
  if (peers == PeerKind::process) roles_.clear();
  if (make_) return make_(std::move(mine));
  return std::make_unique<FdEndpoint>(std::move(mine.in), std::move(mine.out));
}

std::vector<FdChannel::Ends> duplicate_writers(int fd, int count) {
  std::vector<FdChannel::Ends> out;
  for (int i = 0; i < count; ++i) {
    out.push_back({Fd(), Fd(check_syscall(fcntl(fd, F_DUPFD_CLOEXEC, 0), "fcntl(F_DUPFD)"))});
  }
  return out;
}

}  // namespace ipcbench
