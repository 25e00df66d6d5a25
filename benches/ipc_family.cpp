// The ipc family: every registered mechanism x {latency, throughput} x peer kind x pinning x size,
// plus fan-in x producer count for the mechanisms with several writers, and fan-out x consumer
// count for those with several readers.
#include <algorithm>
#include <string>

#include "base/units.hpp"
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
  if (!t.supports_fan_in()) return;
  for_each_point(t, plan_of(run.profile, "ipc/fan_in"), [&](const SweepPoint& p) {
    if (p.size < kFanInMinSize) return;
    add(set, run, {&t, p.size, p.peer, p.pin, p.count}, "fan_in", &run_fan_in);
  });
}

void register_fan_out(const RunSettings& run, const MechanismInfo& t, BenchmarkSet& set) {
  if (!t.supports_fan_out()) return;
  for_each_point(t, plan_of(run.profile, "ipc/fan_out"), [&](const SweepPoint& p) {
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
  if (!runs_zero_copy_sizes(t)) return;
  const auto& swept = plan_of(run.profile, "ipc").sizes;
  for_each_point(t, plan_of(run.profile, "ipc/zero_copy"), [&](const SweepPoint& p) {
    // --sizes gives both plans the same sizes: the sweep has measured those already.
    if (std::find(swept.begin(), swept.end(), p.size) != swept.end()) return;
    add(set, run, {&t, p.size, p.peer, p.pin}, "throughput", &run_throughput);
  });
}

// --remote: latency and throughput of each mechanism that can cross a network, its peer on the
// server.
void register_remote(const RunSettings& run, const MechanismInfo& t, BenchmarkSet& set) {
  if (!run.remote || !t.remote) return;
  const std::pair<const char*, Driver> workloads[] = {{"latency", &run_latency},
                                                      {"throughput", &run_throughput}};
  const SweepPlan& ipc = plan_of(run.profile, "ipc");
  for (const auto& [workload, driver] : workloads) {
    for (PinPolicy pin : ipc.pins) {
      for (std::size_t size : ipc.sizes) {
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
    if (!chosen_or_all(profile.mechanisms, t.name)) continue;
    for (const auto& [workload, driver] : workloads) {
      for (const char* plan : {"ipc", "ipc/thread"}) {
        for_each_point(t, plan_of(profile, plan), [&](const SweepPoint& p) {
          add(set, run, {&t, p.size, p.peer, p.pin}, workload, driver);
        });
      }
    }
    register_remote(run, t, set);
    register_zero_copy_sizes(run, t, set);
    register_fan_in(run, t, set);
    register_fan_out(run, t, set);
  }
}

const std::vector<PeerKind> kBothPeers = {PeerKind::process, PeerKind::thread};
const std::vector<PinPolicy> kAllPins = {PinPolicy::none, PinPolicy::same, PinPolicy::cross};

// Latency and throughput at `sizes`, and the zero-copy sizes, fan-in and fan-out beside them, all
// with the same peer kinds unless a fan plan names its own.
FamilyPlans ipc_plans(const std::vector<PeerKind>& peers, const std::vector<PinPolicy>& pins,
                      std::vector<std::size_t> sizes, std::vector<std::size_t> zero_copy_sizes,
                      SweepPlan fan_in, SweepPlan fan_out) {
  if (fan_in.peers.empty()) fan_in.peers = peers;
  if (fan_out.peers.empty()) fan_out.peers = peers;
  return {{"ipc", SweepPlan{.peers = peers, .pins = pins, .sizes = std::move(sizes)}},
          {"ipc/zero_copy",
           SweepPlan{.peers = peers, .pins = pins, .sizes = std::move(zero_copy_sizes)}},
          {"ipc/fan_in", std::move(fan_in)},
          {"ipc/fan_out", std::move(fan_out)}};
}

std::vector<std::size_t> every_power_of_two_to_1MiB() {
  std::vector<std::size_t> sizes;
  for (std::size_t s = 1; s <= MiB; s *= 2) sizes.push_back(s);
  return sizes;
}

// What the report draws and decides from (process peers across CPUs); thread peers beside them
// at 64 B (plan "ipc/thread") for the course's processes against threads. pin:same, thread peers at
// the other sizes, their fan-in and fan-out and the sizes between (8 B, 1 KiB, 16 KiB) are in full:
// here every benchmark runs in at least two rounds.
FamilyPlans default_ipc_plans() {
  FamilyPlans plans = ipc_plans(
      {PeerKind::process}, {PinPolicy::cross}, {64, 4 * KiB, 64 * KiB, MiB}, {4 * MiB, 16 * MiB},
      {.pins = {PinPolicy::none}, .counts = {1, 2, 8}, .sizes = {64}},
      {.pins = {PinPolicy::none}, .counts = {1, 2, 8}, .sizes = {64, 64 * KiB}});
  plans["ipc/thread"] =
      SweepPlan{.peers = {PeerKind::thread}, .pins = {PinPolicy::cross}, .sizes = {64}};
  return plans;
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("ipc", &register_ipc);

IPCBENCH_REGISTER_PLANS("quick",
                        ipc_plans(kBothPeers, {PinPolicy::cross}, {64, 64 * KiB}, {},
                                  {.pins = {PinPolicy::none}, .counts = {2}, .sizes = {64}},
                                  {.pins = {PinPolicy::none}, .counts = {2}, .sizes = {64}}));
IPCBENCH_REGISTER_PLANS("default", default_ipc_plans());
IPCBENCH_REGISTER_PLANS(
    "full",
    ipc_plans(
        kBothPeers, kAllPins, every_power_of_two_to_1MiB(), {2 * MiB, 4 * MiB, 8 * MiB, 16 * MiB},
        {.pins = kAllPins, .counts = {1, 2, 4, 8}, .sizes = {16, 64, 256, KiB, 4 * KiB, 64 * KiB}},
        {.pins = kAllPins, .counts = {1, 2, 4, 8}, .sizes = {64, 4 * KiB, 64 * KiB, MiB}}));
IPCBENCH_REGISTER_PLANS("homework", ipc_plans({PeerKind::process}, {PinPolicy::cross},
                                              {64, 64 * KiB}, {}, {}, {}));
IPCBENCH_REGISTER_PLANS("ci", ipc_plans({PeerKind::process}, {PinPolicy::cross}, {64, 64 * KiB}, {},
                                        {.pins = {PinPolicy::none}, .counts = {2}, .sizes = {64}},
                                        {.pins = {PinPolicy::none}, .counts = {2}, .sizes = {64}}));

}  // namespace ipcbench
