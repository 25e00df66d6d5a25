// The request loop of `ipcbench serve`: one ZeroMQ ROUTER socket, one client served at a time, one
// benchmark at a time in a forked child. Nothing a request or a connection does ends the loop:
// every field is checked, every queue and wait is bounded, and each limit is in ServeLimits.
#pragma once

#include <chrono>
#include <csignal>
#include <map>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "app/serve_log.hpp"
#include "ipc/remote_benchmark.hpp"
#include "remote/handshake_limit.hpp"
#include "remote/protocol.hpp"
#include "remote/socket_monitor.hpp"
#include "remote/token.hpp"

namespace ipcbench {

struct ServeLimits {
  std::chrono::milliseconds peer_timeout{5000};  // a benchmark's data silent this long ends it
  std::chrono::seconds idle{120};      // a client with no request (and no benchmark) this long
  std::chrono::seconds session{3600};  // a client's whole session
  int connections = 64;                // open control connections, authenticated or not
  long memory_kib = 256 * 1024;        // heap in use past which every connection is closed
};

class ControlServer {
 public:
  // Binds `at`; with keys, only CURVE clients holding the token's keys complete the handshake.
  ControlServer(const HostPort& at, const std::optional<CurveKeys>& keys, ServeLimits limits,
                nlohmann::json context);
  void run(const volatile std::sig_atomic_t& stop);

 private:
  struct Pending {  // a `result` waiting for the benchmark to end
    std::uint64_t id = 0;
    std::chrono::steady_clock::time_point deadline;
  };

  void check_memory();
  void answer_one();
  nlohmann::json handle(const std::string& client, int fd, const RequestHeader& header,
                        const nlohmann::json& request, bool& reply);
  nlohmann::json hello(const std::string& client, int fd);
  nlohmann::json start(const nlohmann::json& request);
  nlohmann::json result(std::uint64_t id, bool& reply);
  nlohmann::json take_result();
  void watch_connections();
  bool is_open_connection(int fd);
  void count_guess(const std::string& address, std::chrono::steady_clock::time_point now);
  void check_benchmark();
  void check_limits();
  void end_session(const std::string& why);
  void send(const std::string& client, const nlohmann::json& reply);

  HostPort at_;
  std::optional<CurveKeys> keys_;
  ServeLimits limits_;
  nlohmann::json context_;
  ServeLog log_;
  zmq::context_t zmq_{1};
  zmq::socket_t socket_{zmq_, zmq::socket_type::router};
  std::optional<SocketMonitor> monitor_;
  std::map<int, std::string> connections_;  // open connections: descriptor -> peer address
  HandshakeLimit handshakes_;
  bool guess_pending_ = false;  // a failed handshake's connection is the next to end
  std::string owner_;           // the client being served (its ZeroMQ identity); empty: none
  int owner_fd_ = -1;
  std::chrono::steady_clock::time_point session_start_, last_seen_;
  std::optional<RemoteBenchmark> bench_;
  std::optional<Pending> pending_;
};

}  // namespace ipcbench
