#include "channel/mechanism.hpp"

#include <algorithm>

namespace ipcbench {
namespace {

std::vector<MechanismInfo>& registry() {
  static std::vector<MechanismInfo> all;
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
  constexpr std::string_view kNames[] = {"blocks", "spins", "hybrid", "kernel_polls"};
  return kNames[static_cast<int>(waits)];
}

bool register_mechanism(MechanismInfo info) {
  auto& all = registry();
  if (find_mechanism(info.name)) throw std::logic_error("mechanism registered twice: " + info.name);
  all.push_back(std::move(info));
  std::sort(all.begin(), all.end(), [](auto& x, auto& y) { return x.name < y.name; });
  return true;
}

const std::vector<MechanismInfo>& all_mechanisms() { return registry(); }

const MechanismInfo* find_mechanism(std::string_view name) {
  for (const auto& t : registry()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace ipcbench
