#include "app/control_server.hpp"

#include <malloc.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <zmq_addon.hpp>

#include "base/usage_error.hpp"
#include "os/inet.hpp"
#include "remote/control_socket.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// The sanitizers' allocator reports what it holds (GCC ships no header for it).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace ipcbench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPoll{100};
// A `result` may wait this much longer than the peer timeout: the child's own watchdog ends a
// stalled benchmark after the timeout, and its report needs a moment to arrive.
constexpr std::chrono::milliseconds kResultGrace{1000};
constexpr int kServerEvents = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED |
                              ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                              ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

nlohmann::json refuse(const std::string& why) { return {{"ok", false}, {"error", why}}; }

// 32 hex digits from the kernel's random source: the run's data-port secret.
std::string new_secret() {
  unsigned char bytes[16];
  if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    throw std::runtime_error("getrandom failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned char b : bytes) {
    text += kHex[b >> 4];
    text += kHex[b & 15];
  }
  return text;
}

// The heap this process has in use (not its resident size, which freed memory can keep high).
// Under ASan or TSan their own allocator holds it, and says how much.
long heap_in_use_kib() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return static_cast<long>(__sanitizer_get_current_allocated_bytes() / 1024);
#else
  const struct mallinfo2 info = mallinfo2();
  return static_cast<long>((info.uordblks + info.hblkhd) / 1024);
#endif
}

}  // namespace

ControlServer::ControlServer(const HostPort& at, const std::optional<CurveKeys>& keys,
                             ServeLimits limits, nlohmann::json context)
    : at_(at), keys_(keys), limits_(limits), context_(std::move(context)) {
  socket_.set(zmq::sockopt::linger, 0);
  configure_control_socket(socket_, ControlRole::server, keys_);
  monitor_.emplace(zmq_, socket_, kServerEvents);
  try {
    socket_.bind("tcp://" + at_.text());
  } catch (const zmq::error_t& e) {
    throw UsageError("serve: cannot listen on " + at_.text() + ": " + e.what());
  }
}

// ZeroMQ holds a multipart request until its last frame has come, and no option bounds the number
// of frames: a peer could grow the server without limit. Past the limit on the heap in use every
// control connection is reset, as a refused one is: ZeroMQ sees each end and frees what it queued,
// and the listening socket stays as it is (closing and binding it again left the port held for over
// 10 s under ASan). The session being served ends with it. The heap passes the limit by at most
// what arrives between two checks of the loop (docs/remote.md: the peak under two endless floods).
void ControlServer::check_memory() {
  if (heap_in_use_kib() <= limits_.memory_kib) return;
  if (!owner_.empty()) end_session("every control connection was closed");
  for (const auto& [fd, address] : connections_) {
    if (!address.empty() && peer_address(fd) == address)
      reset_connection(fd);  // not a descriptor given out again
  }
  log_.limited("memory", "the heap passed --max-memory: every control connection was closed");
}

void ControlServer::run(const volatile std::sig_atomic_t& stop) {
  while (!stop) {
    zmq::pollitem_t items[] = {{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0},
                               {monitor_->handle(), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 2, kPoll);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
    // Connection events first: a request must meet the connection it came on, not an older one
    // whose descriptor number the kernel has given out again (whose end would otherwise look like
    // the new client's). A goodbye read after its connection's end finds the session already over.
    watch_connections();
    if (items[0].revents & ZMQ_POLLIN) {
      while (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN) answer_one();
    }
    check_benchmark();
    check_limits();
    check_memory();
  }
  if (bench_) bench_->abandon();
  log_.line("stopping");
}

// [client identity][empty][request] in, [identity][empty][reply] out. Anything else is dropped.
void ControlServer::answer_one() {
  std::vector<zmq::message_t> frames;
  try {
    if (!zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      return;
    }
  } catch (const zmq::error_t& e) {
    log_.limited("recv", std::string("a request could not be read: ") + e.what());
    return;
  }
  if (frames.size() != 3 || frames[1].size() != 0) {
    log_.limited("frames", "dropped a request that is not [empty][JSON]");
    return;
  }
  const std::string client = frames[0].to_string();
  const int fd = frames[2].get(ZMQ_SRCFD);
  if (!is_open_connection(fd)) {
    log_.limited("gone", "dropped a request from a connection that was refused or has ended");
    return;
  }
  const auto request = nlohmann::json::parse(frames[2].to_string(), nullptr, false);
  std::optional<std::uint64_t> id;
  nlohmann::json answer;
  bool reply = true;
  try {
    if (request.is_discarded()) throw ProtocolError("the request is not JSON");
    answer = handle(client, fd, read_header(request, id), request, reply);
  } catch (const ProtocolError& e) {
    answer = refuse(e.what());
  }
  if (!reply) return;
  answer["id"] = id ? nlohmann::json(*id) : nlohmann::json(nullptr);
  send(client, answer);
}

// A connection refused at its limit may still have finished its handshake and sent a request
// before it was reset (ZeroMQ's I/O thread runs ahead of this loop); one that has ended may
// leave a request behind. Answering either would open a session on a connection that is gone.
// A request always follows its connection's ACCEPTED event, so events not yet read are read first.
bool ControlServer::is_open_connection(int fd) {
  if (connections_.count(fd) != 0) return true;
  watch_connections();
  return connections_.count(fd) != 0;
}

void ControlServer::send(const std::string& client, const nlohmann::json& reply) {
  const std::string text = reply.dump();
  try {  // a full queue (a client that never reads) drops the reply: ROUTER never blocks
    socket_.send(zmq::buffer(client), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    socket_.send(zmq::str_buffer(""), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    socket_.send(zmq::buffer(text), zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    log_.limited("send", std::string("a reply could not be sent: ") + e.what());
  }
}

nlohmann::json ControlServer::handle(const std::string& client, int fd, const RequestHeader& header,
                                     const nlohmann::json& request, bool& reply) {
  if (header.type == "hello") return hello(client, fd);
  if (header.type == "bye" && client != owner_) {
    reply = false;  // a goodbye from a session already ended: nothing to do
    return {};
  }
  if (client != owner_) {
    log_.limited("busy", "answered a request from a client that is not being served");
    return refuse(owner_.empty() ? "say hello first" : "busy: serving another client");
  }
  last_seen_ = Clock::now();
  owner_fd_ = fd;
  if (pending_) return refuse("a result is still being waited for");
  if (header.type == "run") return start(request);
  if (header.type == "result") return result(header.id, reply);
  if (header.type == "bye") {
    reply = false;
    end_session("the client said goodbye");
    return {};
  }
  return refuse("unknown request type " + quote_input(header.type));
}

nlohmann::json ControlServer::hello(const std::string& client, int fd) {
  if (!owner_.empty() && owner_ != client) {
    log_.limited("busy", "told a second client that the server is busy");
    return refuse("busy: serving another client; try again later");
  }
  if (owner_.empty()) {
    owner_ = client;
    session_start_ = Clock::now();
    log_.line("client connected");
  }
  owner_fd_ = fd;
  last_seen_ = Clock::now();
  return {{"ok", true}, {"context", context_}};
}

// Forks the benchmark's child, which opens the data port; the answer carries its port and secret.
nlohmann::json ControlServer::start(const nlohmann::json& request) {
  if (bench_) return refuse("a benchmark is already running");
  const auto it = request.find("work");
  if (it == request.end()) return refuse("missing 'work'");
  const RemoteWork work = work_from_json(*it);
  const std::string secret = new_secret();
  try {
    bench_.emplace(work, at_.host, secret, limits_.peer_timeout);
  } catch (const std::exception& e) {
    return refuse(std::string("cannot open a data port: ") + e.what());
  }
  nlohmann::json answer = {{"ok", true}, {"port", bench_->port()}, {"secret", secret}};
  if (work.workload == "relay") answer["reply_port"] = bench_->reply_port();
  return answer;
}

nlohmann::json ControlServer::result(std::uint64_t id, bool& reply) {
  if (!bench_) return refuse("no benchmark is running");
  if (bench_->done()) return take_result();
  pending_ = Pending{id, Clock::now() + limits_.peer_timeout + kResultGrace};
  reply = false;  // answered by check_benchmark when the child ends
  return {};
}

nlohmann::json ControlServer::take_result() {
  nlohmann::json answer;
  try {
    const PeerReport report = bench_->join(std::chrono::milliseconds(0));
    answer = {{"ok", true}, {"cpu_ns", report.cost.stats.cpu_ns}, {"messages", report.messages}};
  } catch (const PeerError& e) {
    answer = refuse(e.what());
  }
  bench_.reset();
  return answer;
}

void ControlServer::check_benchmark() {
  if (!pending_ || !bench_) return;
  if (!bench_->done() && Clock::now() < pending_->deadline) return;
  nlohmann::json answer = take_result();
  answer["id"] = pending_->id;
  pending_.reset();
  send(owner_, answer);
}

// Connections counted from the monitor: beyond the limit, or from an address refused for its
// failed handshakes, a new one is reset at once (ZeroMQ sees the end and closes it itself).
// The served client's connection ending (closed, or silent past the heartbeat timeout) ends its
// session; failed handshakes (a wrong token, or not ZeroMQ) count against their address.
void ControlServer::watch_connections() {
  const auto now = Clock::now();
  for (const SocketEvent& e : monitor_->take()) {
    if (e.type == ZMQ_EVENT_ACCEPTED) {
      const std::string address = peer_address(e.value);
      if (handshakes_.refused(address, now)) {
        reset_connection(e.value);
        log_.limited("refused", "refused a connection from " + address +
                                    ": too many failed "
                                    "handshakes in a minute");
      } else if (static_cast<int>(connections_.size()) >= limits_.connections) {
        reset_connection(e.value);
        log_.limited("full", "refused a connection: " + std::to_string(limits_.connections) +
                                 " are open (--max-connections)");
      } else {
        connections_[e.value] = address;
      }
    } else if (e.type == ZMQ_EVENT_DISCONNECTED) {
      const auto it = connections_.find(e.value);
      if (it != connections_.end() && guess_pending_) count_guess(it->second, now);
      if (it != connections_.end()) connections_.erase(it);
      guess_pending_ = false;
      if (!owner_.empty() && e.value == owner_fd_) end_session("the client's connection ended");
    } else {
      // A failed handshake's event carries ZeroMQ's reason, not the connection: the connection's
      // DISCONNECTED follows at once. A wrong key or mechanism counts as a guess at the token; a
      // handshake that timed out, was cut short or was garbled does not.
      guess_pending_ = e.type == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH ||
                       e.value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC ||
                       e.value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH;
      log_.limited("handshake", "a connection failed its handshake (wrong token, or not ZeroMQ)");
    }
  }
}

void ControlServer::count_guess(const std::string& address, Clock::time_point now) {
  if (address.empty() || !handshakes_.failed(address, now)) return;
  log_.line(address + " failed " + std::to_string(HandshakeLimit::kMaxFailures) +
            " handshakes within a minute: refused for a minute");
}

void ControlServer::check_limits() {
  if (owner_.empty()) return;
  const auto now = Clock::now();
  if (now - session_start_ > limits_.session) {
    end_session("the session reached --session-limit");
  } else if ((!bench_ || bench_->done()) && now - last_seen_ > limits_.idle) {
    end_session("the client sent nothing for --idle-limit");
  }
}

void ControlServer::end_session(const std::string& why) {
  if (bench_) {
    bench_->abandon();
    bench_.reset();
    log_.line("abandoned the running benchmark");
  }
  pending_.reset();
  owner_.clear();
  owner_fd_ = -1;
  log_.line(why + "; ready for the next client");
}

}  // namespace ipcbench
