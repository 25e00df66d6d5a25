// uring, uring.sqpoll: a socketpair (AF_UNIX, SOCK_STREAM) whose every send and receive is an
// io_uring submission and completion (liburing), not a read/write system call. Each end creates
// its own ring in open(), in its own process or thread, since a ring must not cross a fork.
// uring.sqpoll: the same with IORING_SETUP_SQPOLL, a kernel thread per ring that picks up
// submissions by polling, so submitting costs no system call while that thread is awake (it
// sleeps after kSqIdleMs without work, and liburing wakes it). Waiting for a completion still
// sleeps in io_uring_enter.
#include <liburing.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

#include "base/limit_error.hpp"
#include "base/system_error.hpp"
#include "channel/fd_channel.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr unsigned kEntries = 4;  // one operation in flight, plus a cancel
constexpr unsigned kSqIdleMs = 10;

// Why this kernel refuses a ring with these flags, as a skip reason.
[[noreturn]] void throw_setup_error(int err, unsigned flags) {
  const std::string what = (flags & IORING_SETUP_SQPOLL) ? "io_uring with SQPOLL" : "io_uring";
  if (err == ENOSYS) throw LimitError(what + ": this kernel has no io_uring (ENOSYS)");
  if (err == EPERM) {
    throw LimitError(what + ": not permitted (EPERM); see sysctl kernel.io_uring_disabled, " +
                     "and SQPOLL needs CAP_SYS_NICE before Linux 5.11");
  }
  if (err == EINVAL) throw LimitError(what + ": this kernel rejects the setup flags (EINVAL)");
  throw_syscall_error(err, "io_uring_queue_init");
}

// One ring, one operation at a time: submit, then wait for its completion.
class Ring {
 public:
  explicit Ring(unsigned flags) {
    io_uring_params params{};
    params.flags = flags;
    if (flags & IORING_SETUP_SQPOLL) params.sq_thread_idle = kSqIdleMs;
    const int r = io_uring_queue_init_params(kEntries, &ring_, &params);
    if (r < 0) throw_setup_error(-r, flags);
  }
  // An operation still in flight (we gave up on it) is cancelled and reaped first, so the kernel
  // never writes into a buffer after its owner is gone.
  ~Ring() {
    if (in_flight_) cancel();
    io_uring_queue_exit(&ring_);
  }
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;

  // Sends or receives once; returns the bytes moved, or -errno.
  int transfer(bool send, int fd, std::byte* data, std::size_t n) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (send) {
      io_uring_prep_send(sqe, fd, data, n, MSG_NOSIGNAL);
    } else {
      io_uring_prep_recv(sqe, fd, data, n, 0);
    }
    submit();
    in_flight_ = true;
    const int res = wait();
    in_flight_ = false;
    return res;
  }

 private:
  void submit() {
    for (;;) {
      const int r = io_uring_submit(&ring_);
      if (r >= 0) return;
      if (r != -EINTR && r != -EAGAIN) throw_syscall_error(-r, "io_uring_submit");
      check_stall();
    }
  }

  int wait() {
    for (;;) {
      io_uring_cqe* cqe = nullptr;
      const int r = io_uring_wait_cqe(&ring_, &cqe);
      if (r == 0) {
        const int res = cqe->res;
        io_uring_cqe_seen(&ring_, cqe);
        return res;
      }
      if (r != -EINTR) throw_syscall_error(-r, "io_uring_wait_cqe");
      check_stall();  // throws when the watchdog or our side says stop
    }
  }

  void cancel() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (!sqe) return;
    io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
    if (io_uring_submit(&ring_) < 0) return;
    // Two completions: the cancelled operation's and the cancel's own.
    for (int i = 0; i < 2; ++i) {
      io_uring_cqe* cqe = nullptr;
      __kernel_timespec timeout{.tv_sec = 1, .tv_nsec = 0};
      if (io_uring_wait_cqe_timeout(&ring_, &cqe, &timeout) != 0) return;
      io_uring_cqe_seen(&ring_, cqe);
    }
  }

  io_uring ring_{};
  bool in_flight_ = false;
};

class UringEndpoint : public Endpoint {
 public:
  UringEndpoint(Fd socket, unsigned flags) : socket_(std::move(socket)), ring_(flags) {}

  void send(std::span<const std::byte> msg) override {
    // io_uring takes a non-const buffer for both directions; a send only reads it.
    auto* data = const_cast<std::byte*>(msg.data());
    for (std::size_t done = 0; done < msg.size();) {
      const int res = ring_.transfer(true, socket_.get(), data + done, msg.size() - done);
      if (res == -EPIPE || res == -ECONNRESET) throw ChannelClosed("peer closed the channel");
      if (res < 0) throw_syscall_error(-res, "io_uring send");
      done += static_cast<std::size_t>(res);
    }
  }

  void recv(std::span<std::byte> msg) override {
    for (std::size_t done = 0; done < msg.size();) {
      const int res = ring_.transfer(false, socket_.get(), msg.data() + done, msg.size() - done);
      if (res == 0 || res == -ECONNRESET) {
        throw ChannelClosed("peer closed the channel during read (" + std::to_string(done) +
                            " of " + std::to_string(msg.size()) + " bytes)");
      }
      if (res < 0) throw_syscall_error(-res, "io_uring recv");
      done += static_cast<std::size_t>(res);
    }
  }

 private:
  Fd socket_;
  Ring ring_;
};

std::unique_ptr<Channel> create_uring(const ChannelOptions&, unsigned flags) {
  { Ring probe(flags); }  // a kernel that refuses the ring skips here, before any peer starts
  int fds[2];
  check_syscall(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), "socketpair");
  return std::make_unique<FdChannel>(
      FdChannel::Ends{Fd(fds[0]), Fd()}, FdChannel::Ends{Fd(fds[1]), Fd()},
      [flags](FdChannel::Ends ends) -> std::unique_ptr<Endpoint> {
        return std::make_unique<UringEndpoint>(std::move(ends.in), flags);
      });
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM(
    {"uring",
     "a socketpair driven through io_uring: each send and receive a submission and a completion",
     {.data_path = DataPath::kernel_copy,
      .waits = Waits::blocks,
      .library = "liburing",
      .counterpart = "socketpair"},
     {},
     [](const ChannelOptions& o) { return create_uring(o, 0); }});
IPCBENCH_REGISTER_MECHANISM(
    {"uring.sqpoll",
     "the same with a kernel thread polling each ring's submissions (IORING_SETUP_SQPOLL)",
     {.data_path = DataPath::kernel_copy,
      .waits = Waits::kernel_polls,
      .library = "liburing",
      .settings = "IORING_SETUP_SQPOLL, the polling thread sleeps after 10 ms idle",
      .counterpart = "uring"},
     {},
     [](const ChannelOptions& o) { return create_uring(o, IORING_SETUP_SQPOLL); }});

}  // namespace ipcbench
