// The control protocol between `ipcbench --remote` (client) and `ipcbench serve` (server): JSON
// requests and replies over ZeroMQ, each carrying the protocol version and a request id. Only the
// work described here can be asked for, and every field is checked before anything runs.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace ipcbench {

inline constexpr int kProtocolVersion = 1;

// Anything a peer sent that this side cannot accept; the text is the one-line answer.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One benchmark's remote side: which mechanism, and what the peer does with its end.
struct RemoteWork {
  std::string mechanism;  // a registered mechanism with a RemoteLink
  std::string workload;   // "latency" (echo each message) or "throughput" (consume, acknowledge)
  std::size_t size = 0;
  std::uint64_t warmup = 0;
  std::uint64_t measured = 0;
  std::string pin;  // the pinning policy, applied to the server's own CPUs
};

nlohmann::json to_json(const RemoteWork& work);
// Throws ProtocolError naming the first field that is missing, unknown or out of range.
RemoteWork work_from_json(const nlohmann::json& j);

// "HOST:PORT" with a numeric IPv4 host; throws ProtocolError otherwise.
struct HostPort {
  std::string host;
  int port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};
HostPort parse_host_port(const std::string& text, const char* flag);

// The token a --token-file holds (its first line); throws ProtocolError if it is unreadable or
// empty.
std::string read_token_file(const std::string& path);

}  // namespace ipcbench
