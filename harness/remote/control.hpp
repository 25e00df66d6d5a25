// The client's end of the control connection to `ipcbench serve`: one request at a time, each
// answered within a timeout; an answer that comes after its request was given up is recognised
// by its id and dropped. A server that goes away is noticed by heartbeats, not by a timeout.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "os/peer.hpp"
#include "remote/protocol.hpp"

namespace zmq {
class context_t;
class socket_t;
}  // namespace zmq

namespace ipcbench {

class SocketMonitor;

// How much longer than the peer timeout a reply may take: the server's own wait for its peer is
// bounded by the peer timeout, and its answer must still arrive after that.
inline constexpr std::chrono::milliseconds kRemoteGrace{2000};

// The server failed a benchmark or did not answer; the text names the server.
class RemoteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where the server's peer waits for one benchmark's data, and the secret that admits us there.
struct DataPort {
  int port = 0;
  int reply_port = 0;  // relay only: where the replies come back; 0 for the other workloads
  std::string secret;
};

class RemoteControl {
 public:
  // Connects (with CURVE keys derived from `token` when it is not empty) and says hello. Throws
  // UsageError (one line, exit 2) when the server does not answer within `timeout`, is busy with
  // another client, or refuses the handshake or protocol version.
  RemoteControl(HostPort server, const std::string& token, std::chrono::milliseconds timeout,
                int version = kProtocolVersion);
  ~RemoteControl();  // says goodbye, so the server is free for the next client at once
  RemoteControl(const RemoteControl&) = delete;
  RemoteControl& operator=(const RemoteControl&) = delete;

  const HostPort& server() const { return server_; }
  // The server's machine and run facts (host, CPU, kernel, virtualization).
  const nlohmann::json& server_context() const { return context_; }

  // Asks the server to open a data port and run the peer side of `work` on it.
  DataPort start(const RemoteWork& work);
  // Waits for the server's peer to finish; its report, or RemoteError with the server's reason.
  PeerReport finish();

 private:
  nlohmann::json request(nlohmann::json body);
  void send_request(const nlohmann::json& body);
  bool check_connection();

  HostPort server_;
  std::chrono::milliseconds timeout_;
  int version_;
  std::uint64_t next_id_ = 1;
  bool handshake_done_ = false;
  bool in_session_ = false;  // the server answered our hello
  bool lost_ = false;        // the connection ended after the hello was answered
  std::unique_ptr<zmq::context_t> context_zmq_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::unique_ptr<SocketMonitor> monitor_;
  nlohmann::json context_;
};

}  // namespace ipcbench
