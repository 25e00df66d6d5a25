#include "channel/transport.hpp"

#include <algorithm>

namespace ipcbench {
namespace {

std::vector<TransportInfo>& registry() {
  static std::vector<TransportInfo> all;
  return all;
}

}  // namespace

std::unique_ptr<Endpoint> Channel::open_producer(int, PeerKind) {
  throw std::logic_error("this channel has no fan-in producers");
}

std::unique_ptr<Endpoint> Channel::open_consumer(int, PeerKind) {
  throw std::logic_error("this channel has no fan-out consumers");
}

// In enum order: the names the JSON and the charts use.
std::string_view to_string(DataPath path) {
  constexpr std::string_view kNames[] = {"kernel_copy", "shared_memory", "network_stack"};
  return kNames[static_cast<int>(path)];
}

std::string_view to_string(Waits waits) {
  constexpr std::string_view kNames[] = {"blocks", "spins", "hybrid"};
  return kNames[static_cast<int>(waits)];
}

bool register_transport(TransportInfo info) {
  auto& all = registry();
  if (find_transport(info.name)) throw std::logic_error("transport registered twice: " + info.name);
  all.push_back(std::move(info));
  std::sort(all.begin(), all.end(), [](auto& x, auto& y) { return x.name < y.name; });
  return true;
}

const std::vector<TransportInfo>& transports() { return registry(); }

const TransportInfo* find_transport(std::string_view name) {
  for (const auto& t : registry()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace ipcbench
