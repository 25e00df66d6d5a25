// The load families, open loop, for a plan's mechanisms x peer kinds x pinnings x sizes x offered
// rates: latency under load one way, load/<mechanism>/peer:<kind>/pin:<pin>/size:<S>/rate:<R>,
// and round trips under load, load_rtt/<mechanism>/peer:<process|remote>/..., whose remote points
// (with --remote) have their peer on `ipcbench serve`.
#include <algorithm>
#include <string>

#include "bench/families.hpp"
#include "bench/sweep.hpp"
#include "ipc/load.hpp"
#include "ipc/load_rtt.hpp"
#include "ipc/load_search.hpp"

namespace ipcbench {
namespace {

using LoadDriver = void (*)(benchmark::State&, const LoadParams&);

std::string load_name(const std::string& family, const LoadParams& p) {
  const std::string peer = p.ipc.remote ? "remote" : std::string(to_string(p.ipc.peer));
  return family + "/" + p.ipc.mechanism->name + "/peer:" + peer +
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

void add(BenchmarkSet& set, const RunSettings& run, const std::string& family, LoadDriver driver,
         LoadParams params) {
  const std::string name = load_name(family, params);
  params.ipc.take_run_settings(run, name);
  if (!run.hgrm_dir.empty()) params.hgrm_path = hgrm_file(run.hgrm_dir, name);
  // One iteration is the whole schedule: its length is the profile's, not Google Benchmark's.
  set.add(
      name, [params, driver](benchmark::State& st) { driver(st, params); }, Timing::manual, 1);
}

// Every point of `plan` for mechanism t; `remote` set: its peer is the server, not a process.
void add_points(BenchmarkSet& set, const RunSettings& run, const std::string& family,
                LoadDriver driver, const SweepPlan& plan, const MechanismInfo& t,
                const std::shared_ptr<RemoteControl>& remote) {
  for_each_point(t, plan, [&](const SweepPoint& p) {
    for (const auto& rate : plan.rates) {
      LoadParams params{
          {&t, p.size, p.peer, p.pin}, parse_load_rate(rate), {plan.seconds, plan.max_seconds}};
      params.ipc.remote = remote;
      params.ipc.duplex = family == "load_rtt";
      add(set, run, family, driver, params);
    }
  });
}

// load/<mechanism>/peer:<kind>/pin:<pin>/size:<S>/search:p99: the capacity within each of the
// run's p99 budgets, searched at each point of the plan.
void add_searches(BenchmarkSet& set, const RunSettings& run, const SweepPlan& plan,
                  const MechanismInfo& t) {
  for_each_point(t, plan, [&](const SweepPoint& p) {
    CapacitySearchParams params{{&t, p.size, p.peer, p.pin}, run.latency_budgets_ns};
    const std::string name = "load/" + t.name + "/peer:" + std::string(to_string(p.peer)) +
                             "/pin:" + std::string(to_string(p.pin)) +
                             "/size:" + std::to_string(p.size) + "/search:p99";
    params.ipc.take_run_settings(run, name);
    set.add(
        name, [params](benchmark::State& st) { run_capacity_search(st, params); }, Timing::manual,
        1);
  });
}

// Mechanisms chosen with --mechanisms replace the profile's own list.
void register_load(const RunSettings& run, BenchmarkSet& set) {
  const SweepPlan& plan = plan_of(run.profile, "load");
  const auto& wanted = run.profile.mechanisms.empty() ? plan.mechanisms : run.profile.mechanisms;
  for (const auto& t : all_mechanisms()) {
    if (!chosen_or_all(wanted, t.name)) continue;
    add_points(set, run, "load", &run_load, plan, t, nullptr);
    if (plan.search_capacity) add_searches(set, run, plan, t);
  }
}

// Each mechanism over loopback with a process peer, and with --remote against the server too.
void register_load_rtt(const RunSettings& run, BenchmarkSet& set) {
  const SweepPlan& plan = plan_of(run.profile, "load_rtt");
  const auto& wanted = run.profile.mechanisms.empty() ? plan.mechanisms : run.profile.mechanisms;
  SweepPlan remote_plan = plan;
  remote_plan.peers = {PeerKind::process};
  for (const auto& t : all_mechanisms()) {
    if (!chosen_or_all(wanted, t.name)) continue;
    add_points(set, run, "load_rtt", &run_load_rtt, plan, t, nullptr);
    if (run.remote && t.remote) {
      add_points(set, run, "load_rtt", &run_load_rtt, remote_plan, t, run.remote);
    }
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("load", &register_load);
IPCBENCH_REGISTER_FAMILY("load_rtt", &register_load_rtt);

namespace {

// Absolute rates, then shares of each mechanism's calibrated capacity up to just past it.
// The default sweep leaves out 1k and 100k: a 1k point needs a second for its p99's samples, and
// the capacity search finds each mechanism's limit anyway.
const std::vector<std::string> kRateSweep = {"10k", "10%", "25%",  "50%",
                                             "75%", "90%", "100%", "110%"};
const std::vector<std::string> kFullRateSweep = {"1k",  "10k", "100k", "1M",   "10%", "25%",
                                                 "50%", "75%", "90%",  "100%", "110%"};
const std::vector<PeerKind> kProcess = {PeerKind::process};
const std::vector<PinPolicy> kCross = {PinPolicy::cross};

}  // namespace

IPCBENCH_REGISTER_PLANS("quick", {{"load", SweepPlan{.mechanisms = {"pipe", "shm_ring.spin"},
                                                     .peers = {PeerKind::process, PeerKind::thread},
                                                     .pins = kCross,
                                                     .sizes = {64},
                                                     .rates = {"10k", "50%"},
                                                     .seconds = 0.05,
                                                     .max_seconds = 0.2,
                                                     .search_capacity = true}},
                                  {"load_rtt", SweepPlan{.mechanisms = {"tcp"},
                                                         .peers = kProcess,
                                                         .pins = kCross,
                                                         .sizes = {64},
                                                         .rates = {"10k", "50%"},
                                                         .seconds = 0.05,
                                                         .max_seconds = 0.2}}});
// The default profile's load sweep: the mechanisms a reader chooses between most.
IPCBENCH_REGISTER_PLANS("default",
                        {{"load",
                          SweepPlan{.mechanisms = {"pipe", "pipe.busy", "unix", "tcp", "posix_mq",
                                                   "shm_ring.spin", "shm_ring.futex", "eventfd+shm",
                                                   "zmq.ipc", "uring"},
                                    .peers = kProcess,
                                    .pins = kCross,
                                    .sizes = {64},
                                    .rates = kRateSweep,
                                    .seconds = 0.2,
                                    .max_seconds = 1.5,
                                    .search_capacity = true}},
                         {"load_rtt", SweepPlan{.mechanisms = {"tcp"},
                                                .peers = kProcess,
                                                .pins = kCross,
                                                .sizes = {64},
                                                .rates = kRateSweep,
                                                .seconds = 0.2,
                                                .max_seconds = 1.5}}});
IPCBENCH_REGISTER_PLANS("full", {{"load", SweepPlan{.peers = {PeerKind::process, PeerKind::thread},
                                                    .pins = {PinPolicy::same, PinPolicy::cross},
                                                    .sizes = {64},
                                                    .rates = kFullRateSweep,
                                                    .max_seconds = 3,
                                                    .search_capacity = true}},
                                 {"load_rtt", SweepPlan{.mechanisms = {"tcp", "udp", "zmq.tcp"},
                                                        .peers = kProcess,
                                                        .pins = {PinPolicy::same, PinPolicy::cross},
                                                        .sizes = {64},
                                                        .rates = kFullRateSweep,
                                                        .max_seconds = 3}}});
IPCBENCH_REGISTER_PLANS("ci", {{"load", SweepPlan{.mechanisms = {"pipe", "shm_ring.futex"},
                                                  .peers = kProcess,
                                                  .pins = kCross,
                                                  .sizes = {64},
                                                  .rates = {"10k"},
                                                  .seconds = 0.2}}});

}  // namespace ipcbench
