// The ipc family: every registered mechanism x {latency, throughput} x peer kind x pinning x size,
// plus fan-in x producer count for the mechanisms with several writers, and fan-out x consumer
// count for those with several readers.
#include <algorithm>
#include <string>

#include "bench/families.hpp"
#include "bench/sweep.hpp"
#include "ipc/fan_in.hpp"
#include "ipc/fan_out.hpp"
#include "ipc/latency.hpp"
#include "ipc/throughput.hpp"

namespace ipcbench {
namespace {

using Driver = void (*)(benchmark::State&, const IpcParams&);

std::string ipc_name(const IpcParams& p, const char* workload) {
  // Between hosts: net/..., peer:remote, so they never mix with one machine's results.
  std::string name =
      std::string(p.remote ? "net/" : "ipc/") + p.mechanism->name + "/" + workload +
      "/peer:" + (p.remote ? std::string("remote") : std::string(to_string(p.peer))) +
      "/pin:" + std::string(to_string(p.pin));
  if (p.producers > 0) name += "/producers:" + std::to_string(p.producers);
  if (p.consumers > 0) name += "/consumers:" + std::to_string(p.consumers);
  return name + "/size:" + std::to_string(p.size);
}

// The run's settings reach the driver in its params: the peer timeout, the CPUs, and the test
// hooks that apply to this benchmark's name.
void add(BenchmarkSet& set, const RunSettings& run, IpcParams params, const char* workload,
         Driver driver) {
  const std::string name = ipc_name(params, workload);
  params.take_run_settings(run, name);
  set.add(
      name, [params, driver](benchmark::State& st) { driver(st, params); }, Timing::manual);
}

// Sizes above a mechanism's limit are still registered: they are skipped at run time with the
// reason, so a missing result is never silent.
void register_fan_in(const RunSettings& run, const MechanismInfo& t, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  if (!t.supports_fan_in()) return;
  const Sweep sweep{profile.peers, profile.fan_in.pins, profile.fan_in.sizes,
                    profile.fan_in.counts};
  for_each_point(t, sweep, [&](const SweepPoint& p) {
    if (p.size < kFanInMinSize) return;
    add(set, run, {&t, p.size, p.peer, p.pin, p.count}, "fan_in", &run_fan_in);
  });
}

void register_fan_out(const RunSettings& run, const MechanismInfo& t, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  if (!t.supports_fan_out()) return;
  const Sweep sweep{profile.peers, profile.fan_out.pins, profile.fan_out.sizes,
                    profile.fan_out.counts};
  for_each_point(t, sweep, [&](const SweepPoint& p) {
    IpcParams params{&t, p.size, p.peer, p.pin};
    params.consumers = p.count;
    add(set, run, params, "fan_out", &run_fan_out);
  });
}

// Whether a mechanism is measured at the zero-copy sizes: it is zero-copy, or the counterpart a
// zero-copy mechanism is set against.
bool runs_zero_copy_sizes(const MechanismInfo& t) {
  if (t.facts.zero_copy) return true;
  return std::any_of(all_mechanisms().begin(), all_mechanisms().end(),
                     [&](const MechanismInfo& other) {
                       return other.facts.zero_copy && t.name == other.facts.counterpart;
                     });
}

void register_zero_copy_sizes(const RunSettings& run, const MechanismInfo& t, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  if (!runs_zero_copy_sizes(t)) return;
  for_each_point(t, {profile.peers, profile.pins, profile.zero_copy_sizes},
                 [&](const SweepPoint& p) {
                   add(set, run, {&t, p.size, p.peer, p.pin}, "throughput", &run_throughput);
                 });
}

// --remote: latency and throughput of each mechanism that can cross a network, its peer on the
// server.
void register_remote(const RunSettings& run, const MechanismInfo& t, BenchmarkSet& set) {
  if (!run.remote || !t.remote) return;
  const std::pair<const char*, Driver> workloads[] = {{"latency", &run_latency},
                                                      {"throughput", &run_throughput}};
  for (const auto& [workload, driver] : workloads) {
    for (PinPolicy pin : run.profile.pins) {
      for (std::size_t size : run.profile.ipc_sizes) {
        IpcParams params{&t, size, PeerKind::process, pin};
        params.remote = run.remote;
        add(set, run, params, workload, driver);
      }
    }
  }
}

void register_ipc(const RunSettings& run, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  const std::pair<const char*, Driver> workloads[] = {{"latency", &run_latency},
                                                      {"throughput", &run_throughput}};
  for (const auto& t : all_mechanisms()) {
    if (!profile.mechanisms.empty() &&
        std::find(profile.mechanisms.begin(), profile.mechanisms.end(), t.name) ==
            profile.mechanisms.end()) {
      continue;
    }
    for (const auto& [workload, driver] : workloads) {
      for_each_point(t, {profile.peers, profile.pins, profile.ipc_sizes}, [&](const SweepPoint& p) {
        add(set, run, {&t, p.size, p.peer, p.pin}, workload, driver);
      });
    }
    register_remote(run, t, set);
    register_zero_copy_sizes(run, t, set);
    register_fan_in(run, t, set);
    register_fan_out(run, t, set);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("ipc", &register_ipc);

}  // namespace ipcbench
