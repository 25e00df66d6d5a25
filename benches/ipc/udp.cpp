// udp: two connected loopback UDP sockets (127.0.0.1 only). UDP has no flow control and the
// kernel drops datagrams when the receive buffer is full, so the receiver returns a credit (an
// empty datagram) every K messages and a sender keeps at most a window that fits the receive
// buffer in flight. A datagram lost anyway fails the benchmark through the sequence check.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <vector>

#include "channel/fd_channel.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kMaxDatagram = 65507;  // 65535 - IPv4 header - UDP header
constexpr int kWantedBuffer = 4 << 20;
constexpr std::size_t kPerDatagramOverhead = 1024;  // skb bookkeeping charged to the buffer

Fd bound_socket(sockaddr_in& addr) {
  Fd fd(check_syscall(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"));
  addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check_syscall(bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
  socklen_t len = sizeof addr;
  check_syscall(getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len), "getsockname");
  for (int opt : {SO_RCVBUFFORCE, SO_SNDBUFFORCE}) {
    if (setsockopt(fd.get(), SOL_SOCKET, opt, &kWantedBuffer, sizeof kWantedBuffer) < 0) {
      const int fallback = opt == SO_RCVBUFFORCE ? SO_RCVBUF : SO_SNDBUF;
      setsockopt(fd.get(), SOL_SOCKET, fallback, &kWantedBuffer, sizeof kWantedBuffer);
    }
  }
  return fd;
}

class UdpEndpoint : public Endpoint {
 public:
  UdpEndpoint(Fd fd, std::size_t size) : fd_(std::move(fd)), buf_(kMaxDatagram) {
    int rcvbuf = 0;
    socklen_t len = sizeof rcvbuf;
    check_syscall(getsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len), "getsockopt");
    window_ = std::max<std::size_t>(
        2, static_cast<std::size_t>(rcvbuf) / (size + kPerDatagramOverhead) / 2);
    credit_every_ = std::max<std::size_t>(1, window_ / 2);
  }

  void send(std::span<const std::byte> msg) override {
    while (sent_ - credited_ >= window_) take_one();  // wait for the receiver to catch up
    io(::send(fd_.get(), msg.data(), msg.size(), 0), "send");
    ++sent_;
  }

  void recv(std::span<std::byte> msg) override {
    while (stash_.empty()) take_one();
    const std::vector<std::byte> d = std::move(stash_.front());
    stash_.pop_front();
    if (d.size() != msg.size()) {
      throw std::runtime_error("udp: received a " + std::to_string(d.size()) +
                               "-byte datagram, expected " + std::to_string(msg.size()));
    }
    std::memcpy(msg.data(), d.data(), d.size());
  }

 private:
  // Receives one datagram: a credit (empty) or data, kept for recv in arrival order.
  void take_one() {
    ssize_t n;
    while ((n = ::recv(fd_.get(), buf_.data(), buf_.size(), 0)) < 0) io(n, "recv");
    if (n == 0) {
      credited_ += credit_every_;
      return;
    }
    stash_.emplace_back(buf_.begin(), buf_.begin() + n);
    if (++received_ % credit_every_ == 0) io(::send(fd_.get(), nullptr, 0, 0), "send (credit)");
  }

  static void io(ssize_t r, const char* what) {
    if (r >= 0) return;
    if (errno == ECONNREFUSED) throw ChannelClosed("the peer's socket is closed");
    if (errno != EINTR) check_syscall(r, what);
    check_stall();
  }

  Fd fd_;
  std::vector<std::byte> buf_;
  std::deque<std::vector<std::byte>> stash_;
  std::size_t window_ = 2, credit_every_ = 1;
  std::uint64_t sent_ = 0, credited_ = 0, received_ = 0;
};

std::unique_ptr<Channel> create_udp(const ChannelOptions& o) {
  sockaddr_in a_addr, b_addr;
  Fd a = bound_socket(a_addr), b = bound_socket(b_addr);
  check_syscall(connect(a.get(), reinterpret_cast<sockaddr*>(&b_addr), sizeof b_addr), "connect");
  check_syscall(connect(b.get(), reinterpret_cast<sockaddr*>(&a_addr), sizeof a_addr), "connect");
  const std::size_t size = o.max_message_size;
  return std::make_unique<FdChannel>(
      FdChannel::Ends{std::move(a), Fd()}, FdChannel::Ends{std::move(b), Fd()},
      [size](FdChannel::Ends ends) -> std::unique_ptr<Endpoint> {
        return std::make_unique<UdpEndpoint>(std::move(ends.in), size);
      });
}

}  // namespace

IPCBENCH_REGISTER_TRANSPORT(
    {"udp",
     "two connected loopback UDP sockets (127.0.0.1), receiver credits for flow control",
     {.data_path = DataPath::network_stack, .waits = Waits::blocks},
     {.max_message_size = kMaxDatagram,
      .max_message_reason = "a UDP datagram carries at most 65507 B"},
     &create_udp});

}  // namespace ipcbench
