// The load family: latency under load, open loop, for the profile's mechanisms x peer kinds x
// pinnings x sizes x offered rates: load/<mechanism>/peer:<kind>/pin:<pin>/size:<S>/rate:<R>.
#include <algorithm>
#include <string>

#include "bench/families.hpp"
#include "ipc/load.hpp"

namespace ipcbench {
namespace {

bool chosen(const std::vector<std::string>& names, const std::string& name) {
  return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

std::string load_name(const LoadParams& p) {
  return "load/" + p.ipc.transport->name + "/peer:" + std::string(to_string(p.ipc.peer)) +
         "/pin:" + std::string(to_string(p.ipc.pin)) + "/size:" + std::to_string(p.ipc.size) +
         "/rate:" + p.rate.name;
}

// A file name for the benchmark's .hgrm: its name with '/' and ':' made plain.
std::string hgrm_file(const std::string& dir, std::string name) {
  std::replace(name.begin(), name.end(), '/', '_');
  std::replace(name.begin(), name.end(), ':', '-');
  std::replace(name.begin(), name.end(), '%', 'p');
  return dir + "/" + name + ".hgrm";
}

void add(BenchmarkSet& set, const RunSettings& run, LoadParams params) {
  const std::string name = load_name(params);
  params.ipc.peer_timeout = run.peer_timeout;
  params.ipc.cpus = run.cpus;
  params.ipc.ring_copy = run.ring_copy;
  params.ipc.hooks = run.hooks.for_benchmark(name);
  if (!run.hgrm_dir.empty()) params.hgrm_path = hgrm_file(run.hgrm_dir, name);
  // One iteration is the whole schedule: its length is the profile's, not Google Benchmark's.
  set.add(
      name, [params](benchmark::State& st) { run_load(st, params); }, Timing::manual, 1);
}

// Mechanisms chosen with --mechanisms replace the profile's own list.
void register_load(const RunSettings& run, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  const LoadPlan& plan = profile.load;
  const auto& wanted = profile.mechanisms.empty() ? plan.mechanisms : profile.mechanisms;
  for (const auto& t : transports()) {
    if (!chosen(wanted, t.name)) continue;
    for (PeerKind peer : plan.peers) {
      if (!t.supports(peer)) continue;
      for (PinPolicy pin : plan.pins) {
        if (!pin_policy_possible(pin)) continue;
        for (std::size_t size : plan.sizes) {
          for (const auto& rate : plan.rates) {
            add(set, run, {{&t, size, peer, pin}, parse_load_rate(rate), plan.seconds});
          }
        }
      }
    }
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("load", &register_load);

}  // namespace ipcbench
