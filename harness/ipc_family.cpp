// The ipc family: every registered Transport x {latency, throughput} x peer kind x pinning x size
// that the mechanism's declared capabilities allow.
#include <string>

#include "families.hpp"
#include "latency.hpp"
#include "throughput.hpp"

namespace ipcbench {
namespace {

using Driver = void (*)(benchmark::State&, const IpcParams&);

std::string ipc_name(const IpcParams& p, const char* workload) {
  return "ipc/" + p.transport->name + "/" + workload + "/peer:" + std::string(to_string(p.peer)) +
         "/pin:" + std::string(to_string(p.pin)) + "/size:" + std::to_string(p.size);
}

void register_ipc(const Profile& profile, BenchmarkSet& set) {
  const std::pair<const char*, Driver> workloads[] = {{"latency", &run_latency},
                                                      {"throughput", &run_throughput}};
  for (const auto& t : transports()) {
    for (const auto& [workload, driver] : workloads) {
      for (PeerKind peer : profile.peers) {
        if (!t.supports(peer)) continue;
        for (PinPolicy pin : profile.pins) {
          if (!pin_policy_possible(pin)) continue;
          for (std::size_t size : profile.ipc_sizes) {
            if (size > t.caps.max_message_size) continue;
            const IpcParams params{&t, size, peer, pin};
            set.add(
                ipc_name(params, workload),
                [params, driver = driver](benchmark::State& st) { driver(st, params); },
                Timing::manual);
          }
        }
      }
    }
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("ipc", &register_ipc);

}  // namespace ipcbench
