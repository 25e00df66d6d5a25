#include "remote/protocol.hpp"

#include <arpa/inet.h>

#include <fstream>

#include "channel/transport.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kMaxSize = std::size_t{64} << 20;
constexpr std::uint64_t kMaxMessages = 1'000'000'000;

template <typename T>
T field(const nlohmann::json& j, const char* name) {
  if (!j.is_object() || !j.contains(name))
    throw ProtocolError(std::string("missing '") + name + "'");
  try {
    return j.at(name).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ProtocolError(std::string("'") + name + "' has the wrong type");
  }
}

}  // namespace

nlohmann::json to_json(const RemoteWork& w) {
  return {{"mechanism", w.mechanism}, {"workload", w.workload}, {"size", w.size},
          {"warmup", w.warmup},       {"measured", w.measured}, {"pin", w.pin}};
}

RemoteWork work_from_json(const nlohmann::json& j) {
  RemoteWork w;
  w.mechanism = field<std::string>(j, "mechanism");
  const TransportInfo* t = find_transport(w.mechanism);
  if (!t || !t->remote) throw ProtocolError("'" + w.mechanism + "' cannot run between hosts");
  w.workload = field<std::string>(j, "workload");
  if (w.workload != "latency" && w.workload != "throughput") {
    throw ProtocolError("unknown workload '" + w.workload + "'");
  }
  w.size = field<std::size_t>(j, "size");
  if (w.size < 1 || w.size > std::min(kMaxSize, t->caps.max_message_size)) {
    throw ProtocolError("size " + std::to_string(w.size) + " is out of range for " + w.mechanism);
  }
  w.warmup = field<std::uint64_t>(j, "warmup");
  w.measured = field<std::uint64_t>(j, "measured");
  if (w.warmup > kMaxMessages || w.measured < 1 || w.measured > kMaxMessages) {
    throw ProtocolError("message counts out of range");
  }
  w.pin = field<std::string>(j, "pin");
  if (w.pin != "none" && w.pin != "same" && w.pin != "cross") {
    throw ProtocolError("unknown pin '" + w.pin + "'");
  }
  return w;
}

HostPort parse_host_port(const std::string& text, const char* flag) {
  const auto colon = text.rfind(':');
  const std::string example = std::string(flag) + "=198.18.0.1:5555";
  if (colon == std::string::npos)
    throw ProtocolError(std::string(flag) + " needs HOST:PORT, e.g. " + example);
  HostPort hp{text.substr(0, colon), 0};
  in_addr addr{};
  if (inet_pton(AF_INET, hp.host.c_str(), &addr) != 1) {
    throw ProtocolError(std::string(flag) + ": '" + hp.host +
                        "' is not a numeric IPv4 address, e.g. " + example);
  }
  try {
    std::size_t used = 0;
    hp.port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    hp.port = 0;
  }
  if (hp.port < 1 || hp.port > 65535) {
    throw ProtocolError(std::string(flag) + ": the port must be 1..65535, e.g. " + example);
  }
  return hp;
}

std::string read_token_file(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) {
    throw ProtocolError("--token-file: cannot read '" + path + "'");
  }
  if (token.empty())
    throw ProtocolError("--token-file: '" + path + "' holds no token on its first line");
  return token;
}

}  // namespace ipcbench
