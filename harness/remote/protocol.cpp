#include "remote/protocol.hpp"

#include <arpa/inet.h>

#include "channel/mechanism.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kMaxSize = std::size_t{64} << 20;
constexpr std::uint64_t kMaxMessages = 1'000'000'000;
constexpr std::size_t kMaxFieldLength = 64;
constexpr std::size_t kMaxQuoted = 40;

const nlohmann::json& member(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) throw ProtocolError("the request is not a JSON object");
  const auto it = j.find(name);
  if (it == j.end()) throw ProtocolError(std::string("missing '") + name + "'");
  return *it;
}

}  // namespace

std::string clip_input(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, kMaxQuoted)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return text.size() > kMaxQuoted ? out + "..." : out;
}

std::string quote_input(const std::string& text) { return "'" + clip_input(text) + "'"; }

std::string text_field(const nlohmann::json& j, const char* name, std::size_t max_length) {
  const auto& v = member(j, name);
  if (!v.is_string()) throw ProtocolError(std::string("'") + name + "' must be a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > max_length) {
    throw ProtocolError(std::string("'") + name + "' is longer than " + std::to_string(max_length) +
                        " characters");
  }
  return s;
}

std::uint64_t count_field(const nlohmann::json& j, const char* name) {
  const auto& v = member(j, name);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
    throw ProtocolError(std::string("'") + name + "' must be a non-negative integer");
  }
  return v.get<std::uint64_t>();
}

RequestHeader read_header(const nlohmann::json& request, std::optional<std::uint64_t>& id) {
  if (!request.is_object()) throw ProtocolError("the request is not a JSON object");
  const std::uint64_t raw_id = count_field(request, "id");
  if (raw_id > kMaxRequestId) throw ProtocolError("'id' is above 2^53 - 1");
  id = raw_id;
  const auto& version = member(request, "version");
  if (!version.is_number_integer() || version.get<std::int64_t>() != kProtocolVersion) {
    throw ProtocolError("protocol version " + clip_input(version.dump()) + "; this server speaks " +
                        std::to_string(kProtocolVersion));
  }
  return {raw_id, text_field(request, "type", kMaxFieldLength)};
}

nlohmann::json to_json(const RemoteWork& w) {
  return {{"mechanism", w.mechanism}, {"workload", w.workload}, {"size", w.size},
          {"warmup", w.warmup},       {"measured", w.measured}, {"pin", w.pin}};
}

RemoteWork work_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw ProtocolError("'work' must be an object");
  RemoteWork w;
  w.mechanism = text_field(j, "mechanism", kMaxFieldLength);
  const MechanismInfo* t = find_mechanism(w.mechanism);
  if (!t || !t->remote) throw ProtocolError(quote_input(w.mechanism) + " cannot run between hosts");
  w.workload = text_field(j, "workload", kMaxFieldLength);
  if (w.workload != "latency" && w.workload != "throughput" && w.workload != "relay") {
    throw ProtocolError("unknown workload " + quote_input(w.workload));
  }
  const std::uint64_t size = count_field(j, "size");
  if (size < 1 || size > std::min(kMaxSize, t->caps.max_message_size)) {
    throw ProtocolError("size " + std::to_string(size) + " is out of range for " + w.mechanism);
  }
  w.size = static_cast<std::size_t>(size);
  w.warmup = count_field(j, "warmup");
  w.measured = count_field(j, "measured");
  if (w.warmup > kMaxMessages || w.measured < 1 || w.measured > kMaxMessages) {
    throw ProtocolError("message counts out of range");
  }
  w.pin = text_field(j, "pin", kMaxFieldLength);
  if (w.pin != "none" && w.pin != "same" && w.pin != "cross") {
    throw ProtocolError("unknown pin " + quote_input(w.pin));
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

}  // namespace ipcbench
