#include "ipc/remote_benchmark.hpp"

#include <poll.h>
#include <unistd.h>

#include <stdexcept>

#include "channel/duplex_channel.hpp"
#include "channel/mechanism.hpp"
#include "ipc/peer_work.hpp"
#include "os/affinity.hpp"
#include "os/io.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// How long the child may take to open its data port.
constexpr std::chrono::milliseconds kPortWait{3000};

// The child has no main loop calling StallWatchdog::progress(): each message it moves counts
// instead, so its watchdog ends the benchmark only when the client stops sending.
class ProgressEndpoint : public Endpoint {
 public:
  explicit ProgressEndpoint(Endpoint& inner) : inner_(inner) {}
  void send(std::span<const std::byte> msg) override {
    inner_.send(msg);
    StallWatchdog::progress();
  }
  void recv(std::span<std::byte> msg) override {
    inner_.recv(msg);
    StallWatchdog::progress();
  }
  std::span<const std::byte> recv_view(std::span<std::byte> scratch) override {
    const auto view = inner_.recv_view(scratch);
    StallWatchdog::progress();
    return view;
  }

 private:
  Endpoint& inner_;
};

PinPolicy pin_policy(const std::string& pin) {
  if (pin == "cross") return PinPolicy::cross;
  if (pin == "same") return PinPolicy::same;
  return PinPolicy::none;
}

// The child's end: the data port (two for a relay: requests in, replies out), reported through
// port_fd as two ints once listening, then the client admitted on each.
std::unique_ptr<Endpoint> open_data_ports(const std::string& mechanism, const DataPortSpec& spec,
                                          bool duplex, int port_fd,
                                          std::chrono::milliseconds timeout) {
  const RemoteLink& link = *find_mechanism(mechanism)->remote;
  auto requests = link.listen(spec);
  auto replies = duplex ? link.listen(spec) : nullptr;
  const std::array<int, 2> ports{requests->port(), replies ? replies->port() : 0};
  write_all(port_fd, std::as_bytes(std::span(ports)));
  ::close(port_fd);
  auto in = requests->accept(timeout);
  if (!replies) return in;
  return std::make_unique<DuplexEndpoint>(replies->accept(timeout), std::move(in));
}

// Forks the child; it writes its ports into the returned pipe once it listens.
std::pair<Peer, Fd> start_child(const RemoteWork& work, const std::string& host,
                                const std::string& secret, std::chrono::milliseconds timeout) {
  auto [port_read, port_write] = make_pipe("pipe2 (data port)");
  const int port_fd = port_write.get();
  const DataPortSpec spec{host, 0, work.size, secret};
  // The server's peer is a process of its own; what it counts goes back as its CPU only.
  const PeerWork peer_work{work.workload, work.size, work.warmup, work.measured,
                           CostScope{true, false}};
  Peer peer = Peer::start(PeerKind::process, plan_pins(pin_policy(work.pin)).peer_cpu,
                          [spec, peer_work, port_fd, timeout, mechanism = work.mechanism] {
                            StallWatchdog watchdog(timeout);
                            auto ep = open_data_ports(
                                mechanism, spec, peer_work.workload == "relay", port_fd, timeout);
                            ProgressEndpoint counted(*ep);
                            return run_peer_work(counted, peer_work);
                          });
  return {std::move(peer), std::move(port_read)};  // our copy of the write end closes here
}

// The ports, or zeros if the child ended (or hung) before it listened.
std::array<int, 2> read_ports(int fd) {
  std::array<int, 2> ports{};
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(kPortWait.count())) <= 0) return {};
  const ssize_t n = ::read(fd, ports.data(), sizeof ports);
  return n == static_cast<ssize_t>(sizeof ports) ? ports : std::array<int, 2>{};
}

}  // namespace

RemoteBenchmark::RemoteBenchmark(std::pair<Peer, Fd> started)
    : peer_(std::move(started.first)), ports_(read_ports(started.second.get())) {}

RemoteBenchmark::RemoteBenchmark(const RemoteWork& work, const std::string& host,
                                 const std::string& secret, std::chrono::milliseconds timeout)
    : RemoteBenchmark(start_child(work, host, secret, timeout)) {
  if (ports_[0] > 0) return;
  try {
    peer_.join(std::chrono::milliseconds(500));
  } catch (const PeerError& e) {
    throw std::runtime_error(e.what());
  }
  throw std::runtime_error("the benchmark ended before it opened its port");
}

void RemoteBenchmark::abandon() {
  try {
    peer_.join(std::chrono::milliseconds(0));
  } catch (const std::exception&) {
    // killed as asked (a PeerError), or already reaped: either way it is gone, which is the point
  }
}

}  // namespace ipcbench
