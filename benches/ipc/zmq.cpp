// zmq.ipc, zmq.tcp, zmq.inproc: ZeroMQ PAIR sockets (PUSH/PULL for fan-in, PUB/SUB for fan-out)
// through cppzmq. Each
// side creates its context inside open(), after the fork, as ZeroMQ requires. The binding side
// passes its bound address to the connecting side through a pipe. inproc needs one shared
// context, so it is thread-only. TCP binds 127.0.0.1 only.
//
// Which side binds matters: when a connection ends, a bound socket drops the messages it has
// read from it but not yet handed to the application, while a connecting socket keeps them. So
// the receiver of a stream that ends with the sender's exit must be the connecting side: in a
// pair, the peer (side b) connects; in fan-in, each producer binds and the consumer connects to
// all of them (binding the consumer lost a finished producer's last messages over ipc://).
//
//   pair:    side a  bind <----------- connect  side b
//   fan-in:  consumer connect --------> bind    producer i   (one address per producer)
//   fan-out: producer bind <----------- connect consumer i   (XPUB <- SUB)
//
// PUB drops a subscriber's messages once its queue is full; the producer is an XPUB with
// ZMQ_XPUB_NODROP, so a full queue makes it wait instead, and it sends nothing until every
// consumer's subscription has arrived (else the first messages go to nobody). Consumers check
// every sequence number, so a message dropped anyway fails the benchmark.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <tuple>
#include <vector>
#include <zmq.hpp>

#include "channel/fd_channel.hpp"
#include "channel/zap_gate.hpp"
#include "os/fd.hpp"
#include "os/io.hpp"
#include "os/resources.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr int kWatchdogPollMs = 100;  // how often a blocked call looks at the watchdog
constexpr std::size_t kAddressRecord = 256;
constexpr int kLingerMs = 2000;

// The largest message a remote data socket takes: the benchmark's messages, the secret, or an
// acknowledgement (a few bytes, within the floor).
std::int64_t max_message_size(const DataPortSpec& spec) {
  constexpr std::size_t kFloor = 64;
  return static_cast<std::int64_t>(std::max({spec.max_message, spec.secret.size(), kFloor}));
}

class ZmqEndpoint : public Endpoint {
 public:
  ZmqEndpoint(std::shared_ptr<zmq::context_t> context, zmq::socket_type type)
      : context_(std::move(context)), socket_(*context_, type) {
    // Closing must still deliver what was sent (a producer's last messages, an echo's last
    // reply), but never wait forever for a dead peer.
    socket_.set(zmq::sockopt::linger, kLingerMs);
    socket_.set(zmq::sockopt::rcvtimeo, kWatchdogPollMs);
    socket_.set(zmq::sockopt::sndtimeo, kWatchdogPollMs);
  }
  zmq::socket_t& socket() { return socket_; }

  void send(std::span<const std::byte> msg) override {
    for (;;) {
      try {
        if (socket_.send(zmq::const_buffer(msg.data(), msg.size()), zmq::send_flags::none)) return;
      } catch (const zmq::error_t& e) {
        if (e.num() != EINTR) throw;
      }
      waited();
    }
  }

  void recv(std::span<std::byte> msg) override {
    for (;;) {
      try {
        if (auto r = socket_.recv(zmq::mutable_buffer(msg.data(), msg.size()))) {
          if (r->untruncated_size != msg.size()) {
            throw std::runtime_error("zmq: received a " + std::to_string(r->untruncated_size) +
                                     "-byte message, expected " + std::to_string(msg.size()));
          }
          return;
        }
      } catch (const zmq::error_t& e) {
        if (e.num() != EINTR) throw;
      }
      waited();
    }
  }

 private:
  // A timeout or an interrupt: give up if the watchdog or our side says so, else wait again.
  static void waited() {
    if (StallWatchdog::should_stop()) check_stall();
  }
  std::shared_ptr<zmq::context_t> context_;  // declared first: outlives the socket
  zmq::socket_t socket_;
};

class ZmqChannel : public Channel {
 public:
  ZmqChannel(std::string transport, const ChannelOptions& o)
      : transport_(std::move(transport)), producers_(o.producers), consumers_(o.consumers) {
    // libzmq aborts the process when it runs out of descriptors: check first. Each context
    // takes a few (epoll, mailboxes), each socket and connection more.
    require_free_fds(16 + 8 * static_cast<std::size_t>(std::max({producers_, consumers_, 1})),
                     "zmq." + transport_);
    std::tie(address_read_, address_write_) = make_pipe("pipe2 (zmq address)");
    if (transport_ == "ipc") {
      dir_ = make_private_dir();
      for (int i = 0; i < std::max(producers_, 1); ++i) {  // bind makes them
        socket_files_.emplace_back(ResourceKind::file, ipc_path(i));
      }
    }
    if (transport_ == "inproc") shared_ = std::make_shared<zmq::context_t>(1);
  }

  std::unique_ptr<Endpoint> open(Side side, PeerKind) override {
    if (consumers_ > 0) return open_publisher();
    if (producers_ > 0) {
      auto ep = make(zmq::socket_type::pull);
      for (int i = 0; i < producers_; ++i) connect_to_next_address(*ep);
      return ep;
    }
    if (side == Side::b) {
      auto ep = make(zmq::socket_type::pair);
      connect_to_next_address(*ep);
      return ep;
    }
    return bind(zmq::socket_type::pair, 0);
  }

  std::unique_ptr<Endpoint> open_producer(int index, PeerKind) override {
    return bind(zmq::socket_type::push, index);
  }

  std::unique_ptr<Endpoint> open_consumer(int, PeerKind) override {
    auto ep = make(zmq::socket_type::sub);
    // A consumer sends only its subscription: once the publisher is gone, lingering to deliver
    // it again would hold the consumer's exit for the whole linger period.
    ep->socket().set(zmq::sockopt::linger, 0);
    ep->socket().set(zmq::sockopt::subscribe, "");
    connect_to_next_address(*ep);
    return ep;
  }

 private:
  // Binds once, tells every consumer where, and returns when all of them have subscribed.
  std::unique_ptr<Endpoint> open_publisher() {
    auto ep = make(zmq::socket_type::xpub);
    ep->socket().set(zmq::sockopt::xpub_nodrop, 1);
    ep->socket().set(zmq::sockopt::xpub_verbose, 1);  // one subscription message per consumer
    publish_address(*ep, 0, consumers_);
    for (int i = 0; i < consumers_; ++i) {
      std::byte subscription[1];  // 1: subscribe, followed by the (empty) topic
      ep->recv(subscription);
      if (subscription[0] != std::byte{1}) throw std::runtime_error("zmq: expected a subscription");
    }
    return ep;
  }

  std::unique_ptr<ZmqEndpoint> make(zmq::socket_type type) {
    auto context = shared_ ? shared_ : std::make_shared<zmq::context_t>(1);
    return std::make_unique<ZmqEndpoint>(std::move(context), type);
  }

  std::string ipc_path(int index) const { return dir_.name() + "/zmq-" + std::to_string(index); }

  std::string bind_address(int index) const {
    if (transport_ == "tcp") return "tcp://127.0.0.1:*";
    if (transport_ == "ipc") return "ipc://" + ipc_path(index);
    return "inproc://" + unique_resource_name("zmq");
  }

  // Binds and tells the connecting side where, in one record no longer than PIPE_BUF, so the
  // records of several producers writing at once never interleave.
  std::unique_ptr<Endpoint> bind(zmq::socket_type type, int index) {
    auto ep = make(type);
    publish_address(*ep, index, 1);
    return ep;
  }

  void publish_address(ZmqEndpoint& ep, int index, int readers) {
    ep.socket().bind(bind_address(index));
    const std::string bound = ep.socket().get(zmq::sockopt::last_endpoint);
    std::array<char, kAddressRecord> record{};
    std::strncpy(record.data(), bound.c_str(), record.size() - 1);
    for (int i = 0; i < readers; ++i) {
      check_syscall(::write(address_write_.get(), record.data(), record.size()),
                    "write (zmq address)");
    }
  }

  void connect_to_next_address(ZmqEndpoint& ep) {
    std::array<char, kAddressRecord> record{};
    read_exact(address_read_.get(), std::as_writable_bytes(std::span(record)));
    ep.socket().connect(record.data());
  }

  std::string transport_;
  int producers_;
  int consumers_;
  Fd address_read_, address_write_;
  OwnedResource dir_;  // ipc: the socket file lives here; declared first, removed last
  std::vector<OwnedResource> socket_files_;
  std::shared_ptr<zmq::context_t> shared_;
};

// Between hosts (zmq.tcp only): the server binds a PAIR on its address and the client connects.
// A PAIR keeps the first peer that completes a handshake, so the handshake is PLAIN, its password
// the run's secret, checked by a ZAP gate: a stranger never completes one and never takes the
// PAIR's place. Messages are capped at the benchmark's size.
// A remote data endpoint with the gate that admitted its peer, closed before the endpoint's
// context ends (which waits for every socket of the context, the gate's included).
class GatedEndpoint : public Endpoint {
 public:
  GatedEndpoint(std::unique_ptr<ZapGate> gate, std::unique_ptr<ZmqEndpoint> ep)
      : gate_(std::move(gate)), ep_(std::move(ep)) {}
  ~GatedEndpoint() override { gate_.reset(); }
  void send(std::span<const std::byte> msg) override { ep_->send(msg); }
  void recv(std::span<std::byte> msg) override { ep_->recv(msg); }

 private:
  std::unique_ptr<ZapGate> gate_;
  std::unique_ptr<ZmqEndpoint> ep_;
};

class ZmqListener : public RemoteListener {
 public:
  explicit ZmqListener(const DataPortSpec& spec)
      : context_(std::make_shared<zmq::context_t>(1)),
        gate_(std::make_unique<ZapGate>(*context_, spec.secret)),
        ep_(std::make_unique<ZmqEndpoint>(context_, zmq::socket_type::pair)) {
    ep_->socket().set(zmq::sockopt::maxmsgsize, max_message_size(spec));
    ep_->socket().set(zmq::sockopt::plain_server, true);
    ep_->socket().bind("tcp://" + spec.host + ":*");
    const std::string bound = ep_->socket().get(zmq::sockopt::last_endpoint);
    port_ = std::stoi(bound.substr(bound.rfind(':') + 1));
  }
  ~ZmqListener() override { gate_.reset(); }  // its socket closes before the context can end
  int port() const override { return port_; }
  // ZeroMQ connects in the background: the gate must outlive this call, so the endpoint keeps it,
  // and its first message waits for the admitted client.
  std::unique_ptr<Endpoint> accept(std::chrono::milliseconds) override {
    return std::make_unique<GatedEndpoint>(std::move(gate_), std::move(ep_));
  }

 private:
  std::shared_ptr<zmq::context_t> context_;
  std::unique_ptr<ZapGate> gate_;
  std::unique_ptr<ZmqEndpoint> ep_;
  int port_ = 0;
};

RemoteLink zmq_remote_link() {
  return {[](const DataPortSpec& spec) -> std::unique_ptr<RemoteListener> {
            return std::make_unique<ZmqListener>(spec);
          },
          [](const DataPortSpec& spec) -> std::unique_ptr<Endpoint> {
            auto ep = std::make_unique<ZmqEndpoint>(std::make_shared<zmq::context_t>(1),
                                                    zmq::socket_type::pair);
            ep->socket().set(zmq::sockopt::maxmsgsize, max_message_size(spec));
            ep->socket().set(zmq::sockopt::plain_username, kZapUser);
            ep->socket().set(zmq::sockopt::plain_password, spec.secret);
            ep->socket().connect("tcp://" + spec.host + ":" + std::to_string(spec.port));
            return ep;
          }};
}

MechanismInfo zmq_mechanism(const char* name, const char* transport, const char* description,
                            DataPath path, bool processes, bool fan_in) {
  return {name,
          description,
          {.data_path = path, .waits = Waits::blocks, .library = "libzmq"},
          {.process_peers = processes,
           .fan_in_max_message_size = fan_in ? std::size_t{1} << 30 : 0,
           .fan_out_max_message_size = std::size_t{1} << 30},
          [transport](const ChannelOptions& o) -> std::unique_ptr<Channel> {
            return std::make_unique<ZmqChannel>(transport, o);
          },
          std::string(transport) == "tcp" ? std::optional<RemoteLink>(zmq_remote_link())
                                          : std::nullopt};
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM(zmq_mechanism("zmq.ipc", "ipc",
                                          "ZeroMQ PAIR over ipc:// (a Unix socket)",
                                          DataPath::kernel_copy, true, true));
IPCBENCH_REGISTER_MECHANISM(zmq_mechanism("zmq.tcp", "tcp", "ZeroMQ PAIR over tcp://127.0.0.1",
                                          DataPath::network_stack, true, true));
IPCBENCH_REGISTER_MECHANISM(zmq_mechanism(
    "zmq.inproc", "inproc", "ZeroMQ PAIR over inproc:// (threads of one process only)",
    DataPath::shared_memory, false, true));

}  // namespace ipcbench
