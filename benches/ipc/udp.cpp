// udp: two connected loopback UDP sockets (127.0.0.1 only). UDP has no flow control and the
// kernel drops datagrams when the receive buffer is full, so the receiver returns a credit (an
// empty datagram) every K messages and a sender keeps at most a window that fits the receive
// buffer in flight. A datagram lost anyway fails the benchmark through the sequence check.
// Between hosts (ipcbench serve), the same with the client's socket connected to the server's.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <vector>

#include "channel/data_port_secret.hpp"
#include "channel/fd_channel.hpp"
#include "os/inet.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kMaxDatagram = 65507;  // 65535 - IPv4 header - UDP header
constexpr int kWantedBuffer = 4 << 20;
constexpr std::size_t kPerDatagramOverhead = 1024;  // skb bookkeeping charged to the buffer
// Unread messages a receiver keeps, in windows (the two ends may size their windows differently).
constexpr std::size_t kMaxStashWindows = 8;

// Buffers as large as the kernel allows (SO_*BUFFORCE needs CAP_NET_ADMIN; else the capped
// request): the credit window is sized from what the receive buffer really holds.
void enlarge_buffers(int fd) {
  for (int opt : {SO_RCVBUFFORCE, SO_SNDBUFFORCE}) {
    if (setsockopt(fd, SOL_SOCKET, opt, &kWantedBuffer, sizeof kWantedBuffer) < 0) {
      const int fallback = opt == SO_RCVBUFFORCE ? SO_RCVBUF : SO_SNDBUF;
      setsockopt(fd, SOL_SOCKET, fallback, &kWantedBuffer, sizeof kWantedBuffer);
    }
  }
}

Fd bound_socket(sockaddr_in& addr) {
  Fd fd(check_syscall(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"));
  addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check_syscall(bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
  socklen_t len = sizeof addr;
  check_syscall(getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len), "getsockname");
  enlarge_buffers(fd.get());
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
    // A sender keeps to its window: more unread messages than that is a peer not playing by the
    // rules, and would otherwise grow this process without bound.
    if (stash_.size() >= kMaxStashWindows * window_) {
      throw std::runtime_error("udp: the peer sent far more than its credit window");
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

// Between hosts: the client says hello ('h' and the run's secret) until the server, which
// connects its socket to the sender of the first hello with the right secret, answers ('a'); only
// then do messages flow, so none go to a socket not yet connected. Datagrams from anyone else are
// dropped: before the hello by the check, after it by the connected socket.
constexpr char kHello = 'h', kWelcome = 'a';
constexpr std::chrono::milliseconds kHelloEvery{100};

class UdpListener : public RemoteListener {
 public:
  explicit UdpListener(const DataPortSpec& spec)
      : fd_(bound_ipv4_socket(spec.host, SOCK_DGRAM)), spec_(spec) {
    enlarge_buffers(fd_.get());
  }
  int port() const override { return local_port(fd_.get()); }
  std::unique_ptr<Endpoint> accept(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_readable(fd_.get(), left)) {
        throw ChannelClosed("the client never said hello with the run's secret");
      }
      char hello[512];
      sockaddr_in from{};
      socklen_t length = sizeof from;
      const ssize_t n = recvfrom(fd_.get(), hello, sizeof hello, MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &length);
      if (n < 1 || hello[0] != kHello ||
          !secret_matches(std::span<const char>(hello + 1, static_cast<std::size_t>(n) - 1),
                          spec_.secret)) {
        continue;
      }
      check_syscall(connect(fd_.get(), reinterpret_cast<sockaddr*>(&from), length), "connect");
      while (::recv(fd_.get(), hello, sizeof hello, MSG_DONTWAIT) >= 0) {
        // queued before the connect: more hellos, or anyone else's datagrams
      }
      check_syscall(::send(fd_.get(), &kWelcome, 1, 0), "send (udp welcome)");
      return std::make_unique<UdpEndpoint>(std::move(fd_), spec_.max_message);
    }
  }

 private:
  Fd fd_;
  DataPortSpec spec_;
};

std::unique_ptr<Endpoint> connect_udp(const DataPortSpec& spec) {
  Fd fd(check_syscall(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"));
  enlarge_buffers(fd.get());
  const sockaddr_in addr = ipv4_address(spec.host, spec.port);
  check_syscall(connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr),
                "connect");
  const std::string hello = kHello + spec.secret;
  for (int tries = 0; tries < 50; ++tries) {
    check_syscall(::send(fd.get(), hello.data(), hello.size(), 0), "send (udp hello)");
    if (!wait_readable(fd.get(), kHelloEvery)) continue;
    char welcome = 0;
    if (::recv(fd.get(), &welcome, 1, 0) == 1 && welcome == kWelcome) {
      return std::make_unique<UdpEndpoint>(std::move(fd), spec.max_message);
    }
  }
  throw ChannelClosed("udp: the server never answered the hello");
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM(
    {"udp",
     "two connected loopback UDP sockets (127.0.0.1), receiver credits for flow control",
     {.data_path = DataPath::network_stack, .waits = Waits::blocks},
     {.max_message_size = kMaxDatagram,
      .max_message_reason = "a UDP datagram carries at most 65507 B"},
     &create_udp,
     RemoteLink{[](const DataPortSpec& spec) -> std::unique_ptr<RemoteListener> {
                  return std::make_unique<UdpListener>(spec);
                },
                &connect_udp}});

}  // namespace ipcbench
