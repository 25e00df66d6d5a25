#include "app/serve.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "app/context.hpp"
#include "base/usage_error.hpp"
#include "ipc/peer_work.hpp"
#include "os/affinity.hpp"
#include "os/stall_watchdog.hpp"
#include "remote/control.hpp"
#include "remote/protocol.hpp"

namespace ipcbench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPoll{100};
constexpr std::int64_t kMaxRequestBytes = 64 * 1024;  // a control request is a few hundred bytes

volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

void log(const std::string& line) {
  std::fprintf(stderr, "ipcbench serve: %s\n", line.c_str());
  std::fflush(stderr);
}

// The server's peer has no main loop calling StallWatchdog::progress(): each message it moves
// counts instead, so its watchdog ends the benchmark only when the client stops sending.
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

nlohmann::json refuse(const std::string& why) { return {{"ok", false}, {"error", why}}; }

class Server {
 public:
  Server(const HostPort& at, std::string token, std::chrono::milliseconds peer_timeout)
      : at_(at), token_(std::move(token)), timeout_(peer_timeout) {
    for (const auto& [key, value] : collect_context(RunSettings{})) context_[key] = value;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    context_["host_name"] = host;
    context_["num_cpus"] = std::thread::hardware_concurrency();
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::maxmsgsize, kMaxRequestBytes);
    try {
      socket_.bind("tcp://" + at_.text());
    } catch (const zmq::error_t& e) {
      throw UsageError("serve: cannot listen on " + at_.text() + ": " + e.what());
    }
  }

  void run() {
    log("listening on " + at_.text() + (token_.empty() ? "" : " (a token is required)"));
    while (!stop_requested) {
      zmq::pollitem_t item{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
      try {
        zmq::poll(&item, 1, kPoll);
      } catch (const zmq::error_t& e) {
        if (e.num() != EINTR) throw;
      }
      if (item.revents & ZMQ_POLLIN) answer_one();
      release_idle_client();
    }
    log("stopping");
  }

 private:
  // [client identity][empty][request] in, [identity][empty][reply] out.
  void answer_one() {
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      return;
    }
    if (frames.size() != 3) return;  // not one of ours: no answer
    const std::string client = frames[0].to_string();
    const auto request = nlohmann::json::parse(frames[2].to_string(), nullptr, false);
    nlohmann::json reply;
    if (request.is_discarded() || !request.is_object()) {
      reply = refuse("the request is not a JSON object");
    } else {
      reply = handle(client, request);
      reply["id"] = request.value("id", nlohmann::json(0));
    }
    if (request.is_object() && request.value("type", "") == "bye" && client == owner_) return;
    const std::string text = reply.dump();
    socket_.send(zmq::buffer(client), zmq::send_flags::sndmore);
    socket_.send(zmq::str_buffer(""), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(text), zmq::send_flags::none);
  }

  nlohmann::json handle(const std::string& client, const nlohmann::json& request) {
    const auto version = request.value("version", nlohmann::json());
    if (!version.is_number_integer() || version.get<int>() != kProtocolVersion) {
      log("refused a client speaking protocol version " + version.dump());
      return refuse("protocol version " + version.dump() + "; this server speaks " +
                    std::to_string(kProtocolVersion));
    }
    const std::string type = request.value("type", "");
    if (type == "hello") return hello(client, request);
    if (client != owner_) {
      return refuse(owner_.empty() ? "say hello first" : "busy: serving another client");
    }
    last_seen_ = Clock::now();
    if (type == "run") return start(request);
    if (type == "result") return result();
    if (type == "bye") {
      finish_session("the client said goodbye");
      return {{"ok", true}};
    }
    return refuse("unknown request type '" + type + "'");
  }

  nlohmann::json hello(const std::string& client, const nlohmann::json& request) {
    if (!token_.empty() && request.value("token", "") != token_) {
      log("refused a client with a wrong token");
      return refuse("wrong token");
    }
    if (!owner_.empty() && owner_ != client) {
      log("told a second client that the server is busy");
      return refuse("busy: serving another client; try again later");
    }
    owner_ = client;
    last_seen_ = Clock::now();
    log("client connected");
    return {{"ok", true}, {"context", context_}};
  }

  // Opens the data port and starts the peer's work in a thread; the answer carries the port.
  nlohmann::json start(const nlohmann::json& request) {
    if (peer_) return refuse("a benchmark is already running");
    RemoteWork work;
    try {
      work = work_from_json(request.value("work", nlohmann::json()));
    } catch (const ProtocolError& e) {
      return refuse(e.what());
    }
    const TransportInfo& t = *find_transport(work.mechanism);
    std::shared_ptr<RemoteListener> listener;
    try {
      listener = t.remote->listen(at_.host, work.size);
    } catch (const std::exception& e) {
      return refuse(std::string("cannot open a data port: ") + e.what());
    }
    const int port = listener->port();
    const auto cpu = plan_pins(work.pin == "cross"  ? PinPolicy::cross
                               : work.pin == "same" ? PinPolicy::same
                                                    : PinPolicy::none)
                         .peer_cpu;
    const PeerWork peer_work{work.workload, work.size, work.warmup, work.measured};
    const auto timeout = timeout_;
    peer_.emplace(Peer::start(PeerKind::thread, cpu, [listener, peer_work, timeout] {
      StallWatchdog watchdog(timeout);
      auto ep = listener->accept(timeout);
      ProgressEndpoint counted(*ep);
      return run_peer_work(counted, peer_work);
    }));
    return {{"ok", true}, {"port", port}};
  }

  nlohmann::json result() {
    if (!peer_) return refuse("no benchmark is running");
    nlohmann::json reply;
    try {
      const PeerReport report = peer_->join(timeout_);
      reply = {{"ok", true}, {"cpu_ns", report.cpu_ns}, {"messages", report.messages}};
    } catch (const PeerError& e) {
      reply = refuse(e.what());
    }
    peer_.reset();
    return reply;
  }

  // A client that vanished (killed, or its host gone) says nothing more: once it has been silent
  // longer than any benchmark can wait, its session ends and the next client is served.
  void release_idle_client() {
    if (owner_.empty() || Clock::now() - last_seen_ < 2 * (timeout_ + kRemoteGrace)) return;
    finish_session("the client went silent");
  }

  void finish_session(const std::string& why) {
    if (peer_) {
      try {
        peer_->join(timeout_, true);
      } catch (const PeerError& e) {
        log("abandoned benchmark: " + std::string(e.what()));
      }
      peer_.reset();
    }
    owner_.clear();
    log(why + "; ready for the next client");
  }

  HostPort at_;
  std::string token_;
  std::chrono::milliseconds timeout_;
  zmq::context_t context_zmq_{1};
  zmq::socket_t socket_{context_zmq_, zmq::socket_type::router};
  nlohmann::json context_ = nlohmann::json::object();
  std::string owner_;  // the client being served (its ZeroMQ identity); empty: none
  Clock::time_point last_seen_;
  std::optional<Peer> peer_;
};

}  // namespace

ServeOptions parse_serve_options(const std::vector<std::string>& args) {
  ServeOptions o;
  for (const auto& arg : args) {
    const auto eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (arg == "--help" || arg == "-h") {
      o.help = true;
    } else if (key == "--listen" && !value.empty()) {
      o.listen = value;
    } else if (key == "--token-file" && !value.empty()) {
      o.token_file = value;
    } else if (key == "--peer-timeout" && !value.empty()) {
      char* end = nullptr;
      const double seconds = std::strtod(value.c_str(), &end);
      if (*end != '\0' || !(seconds > 0 && seconds <= 3600)) {
        throw UsageError("--peer-timeout='" + value + "' is not a number of seconds in (0, 3600]");
      }
      o.peer_timeout = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
    } else {
      throw UsageError("serve: unknown argument '" + arg + "'; see ipcbench serve --help");
    }
  }
  if (!o.help && o.listen.empty()) {
    throw UsageError(
        "serve needs --listen=ADDR:PORT, the one address to serve on, e.g. "
        "--listen=198.18.0.1:5555");
  }
  return o;
}

std::string serve_usage_text() {
  return "usage: ipcbench serve --listen=ADDR:PORT [--token-file=F] [--peer-timeout=SECONDS]\n\n"
         "  Be the peer for `ipcbench --remote=ADDR:PORT` on another host: it runs the server\n"
         "  side of tcp, udp and zmq.tcp benchmarks on a data port opened per benchmark.\n"
         "  --listen=ADDR:PORT    a numeric IPv4 address of this host (never 0.0.0.0)\n"
         "  --token-file=F        clients must present the token on its first line\n"
         "  --peer-timeout=SEC    a client silent this long mid-benchmark is given up (5)\n";
}

int serve(const ServeOptions& options) {
  HostPort at;
  std::string token;
  try {
    at = parse_host_port(options.listen, "--listen");
    if (!options.token_file.empty()) token = read_token_file(options.token_file);
  } catch (const ProtocolError& e) {
    throw UsageError(e.what());
  }
  if (at.host == "0.0.0.0") {
    throw UsageError(
        "--listen: 0.0.0.0 would serve every interface; give the one address to "
        "serve on");
  }
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  Server server(at, token, options.peer_timeout);
  server.run();
  return 0;
}

}  // namespace ipcbench
