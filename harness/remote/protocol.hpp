// The control protocol between `ipcbench --remote` (client) and `ipcbench serve` (server): JSON
// requests and replies over ZeroMQ, each carrying the protocol version and a request id
// (docs/remote-protocol.md). Every field is checked for presence and type before it is used.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace ipcbench {

// 2: CURVE on the control socket, a per-run data-port secret, no token in the hello.
inline constexpr int kProtocolVersion = 2;
// The largest request or reply either side accepts: a request is a few hundred bytes, the hello's
// reply a few kilobytes of the server's context.
inline constexpr std::int64_t kMaxControlMessage = 16 * 1024;
// The largest request id a reply echoes (JSON's exact integers).
inline constexpr std::uint64_t kMaxRequestId = (std::uint64_t{1} << 53) - 1;

// Anything a peer sent that this side cannot accept; the text is the one-line answer.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One benchmark's remote side: which mechanism, and what the peer does with its end.
struct RemoteWork {
  std::string mechanism;  // a registered mechanism with a RemoteLink
  // "latency" (echo each message), "throughput" (consume, acknowledge) or "relay" (load_rtt/*:
  // requests on one data port, each sent back on a second)
  std::string workload;
  std::size_t size = 0;
  std::uint64_t warmup = 0;
  std::uint64_t measured = 0;
  std::string pin;  // the pinning policy, applied to the server's own CPUs
};

nlohmann::json to_json(const RemoteWork& work);
// Throws ProtocolError naming the first field that is missing, of the wrong type or out of range.
RemoteWork work_from_json(const nlohmann::json& j);

// A request's envelope: version, id and type, each checked. The id is what the reply echoes.
struct RequestHeader {
  std::uint64_t id = 0;
  std::string type;
};
// Throws ProtocolError naming the field; `id` is set as soon as it is known to be valid, so even
// a refusal can carry it.
RequestHeader read_header(const nlohmann::json& request, std::optional<std::uint64_t>& id);

// Field readers that accept exactly one JSON type each; the error names the field.
std::string text_field(const nlohmann::json& j, const char* name, std::size_t max_length);
std::uint64_t count_field(const nlohmann::json& j, const char* name);
// Input quoted back in an error, cut to a few dozen printable characters so a reply stays small.
std::string clip_input(const std::string& text);
std::string quote_input(const std::string& text);  // the same in single quotes

// "HOST:PORT" with a numeric IPv4 host; throws ProtocolError otherwise.
struct HostPort {
  std::string host;
  int port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};
HostPort parse_host_port(const std::string& text, const char* flag);

}  // namespace ipcbench
