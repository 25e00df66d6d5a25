#include "app/serve.hpp"

#include <arpa/inet.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "app/context.hpp"
#include "base/usage_error.hpp"
#include "remote/control_socket.hpp"

namespace ipcbench {
namespace {

volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

double seconds_value(const std::string& flag, const std::string& value, double max) {
  char* end = nullptr;
  const double seconds = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !(seconds > 0 && seconds <= max)) {
    throw UsageError(flag + "='" + value + "' is not a number of seconds in (0, " +
                     std::to_string(static_cast<long>(max)) + "]");
  }
  return seconds;
}

bool is_loopback(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

// Idle connections each hold a descriptor: use every one the hard limit allows.
void raise_descriptor_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

nlohmann::json server_context() {
  nlohmann::json context = nlohmann::json::object();
  for (const auto& [key, value] : collect_context(RunSettings{})) context[key] = value;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  context["host_name"] = host;
  context["num_cpus"] = std::thread::hardware_concurrency();
  return context;
}

}  // namespace

ServeOptions parse_serve_options(const std::vector<std::string>& args) {
  ServeOptions o;
  for (const auto& arg : args) {
    const auto eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (arg == "--help" || arg == "-h") {
      o.help = true;
    } else if (arg == "--allow-anyone") {
      o.allow_anyone = true;
    } else if (key == "--listen" && !value.empty()) {
      o.listen = value;
    } else if (key == "--token-file" && !value.empty()) {
      o.token_file = value;
    } else if (key == "--peer-timeout") {
      o.limits.peer_timeout =
          std::chrono::milliseconds(static_cast<long>(seconds_value(key, value, 3600) * 1000));
    } else if (key == "--idle-limit") {
      o.limits.idle = std::chrono::seconds(static_cast<long>(seconds_value(key, value, 86400)));
    } else if (key == "--session-limit") {
      o.limits.session =
          std::chrono::seconds(static_cast<long>(seconds_value(key, value, 7 * 86400)));
    } else if (key == "--max-memory") {
      const long mib = std::strtol(value.c_str(), nullptr, 10);
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos || mib < 64 ||
          mib > 1 << 20) {
        throw UsageError("--max-memory='" + value + "' is not a number of MiB in 64..1048576");
      }
      o.limits.memory_kib = mib * 1024;
    } else if (key == "--max-connections") {
      const long n = std::strtol(value.c_str(), nullptr, 10);
      if (value.find_first_not_of("0123456789") != std::string::npos || n < 2 || n > 4096) {
        throw UsageError("--max-connections='" + value + "' is not a number in 2..4096");
      }
      o.limits.connections = static_cast<int>(n);
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
  return "usage: ipcbench serve --listen=ADDR:PORT [--token-file=F | --allow-anyone]\n"
         "                      [--peer-timeout=S] [--idle-limit=S] [--session-limit=S]\n"
         "                      [--max-connections=N] [--max-memory=MIB]\n\n"
         "  Be the peer for `ipcbench --remote=ADDR:PORT` on another host: it runs the server\n"
         "  side of tcp, udp and zmq.tcp benchmarks, each in a child process, on a data port\n"
         "  opened for that benchmark and its client (docs/remote-protocol.md).\n"
         "  --listen=ADDR:PORT    a numeric IPv4 address of this host (never 0.0.0.0)\n"
         "  --token-file=F        the shared token (first line, 16+ characters, the file chmod\n"
         "                        600): the control connection is then authenticated and\n"
         "                        encrypted (ZeroMQ CURVE, keys derived from the token)\n"
         "  --allow-anyone        serve an address other hosts can reach without a token\n"
         "                        (refused otherwise; loopback needs no token)\n"
         "  --peer-timeout=S      a benchmark whose client stops sending this long ends (5)\n"
         "  --idle-limit=S        a client that asks nothing this long is let go (120)\n"
         "  --session-limit=S     no client is served longer than this (3600)\n"
         "  --max-connections=N   open control connections; more are closed at once (64)\n"
         "  --max-memory=MIB      past this much heap in use every control connection is closed,\n"
         "                        freeing what they queued (a request of millions of frames) "
         "(256)\n\n"
         "  Other limits: a control message is at most 16 KiB, 16 are queued per connection\n"
         "  each way (replies beyond that are dropped), a connection that has not finished its\n"
         "  handshake in 2 s is closed, an address whose handshakes fail 10 times in a minute (a\n"
         "  wrong token) is refused for a minute, heartbeats every 0.5 s find a vanished client\n"
         "  within 3 s, one client and one benchmark at a time, a udp peer may run at most 8\n"
         "  credit windows ahead, a zmq.tcp data message is at most the benchmark's size, and\n"
         "  repeated log lines are written once per 10 s.\n";
}

int serve(const ServeOptions& options) {
  HostPort at;
  std::optional<CurveKeys> keys;
  try {
    at = parse_host_port(options.listen, "--listen");
    if (!options.token_file.empty()) {
      keys = curve_keys_from_token(read_token_file(options.token_file));
    }
  } catch (const ProtocolError& e) {
    throw UsageError(e.what());
  }
  if (at.host == "0.0.0.0") {
    throw UsageError(
        "--listen: 0.0.0.0 would serve every interface; give the one address to "
        "serve on");
  }
  const bool open = !keys && !is_loopback(at.host);
  if (open && !options.allow_anyone) {
    throw UsageError("serve: other hosts can reach " + at.host +
                     "; give --token-file=F (a token of 16+ characters, chmod 600), or "
                     "--allow-anyone to let anyone who reaches it use it");
  }
  raise_descriptor_limit();
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  std::signal(SIGPIPE, SIG_IGN);
  ControlServer server(at, keys, options.limits, server_context());
  ServeLog log;
  if (open) {
    log.line("WARNING: no token: anyone who can reach " + at.text() +
             " can run benchmarks here and read this host's name, CPU and kernel");
  }
  log.line("listening on " + at.text() +
           (keys ? " (a token is required; the control connection is encrypted)" : ""));
  server.run(stop_requested);
  return 0;
}

}  // namespace ipcbench
