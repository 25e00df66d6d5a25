#include "bench/report_counters.hpp"

namespace ipcbench {
namespace {

// A counter and its _main and _peer shares, per message.
void report_per_end(benchmark::State& state, const char* counter, double main, double peer,
                    double messages) {
  state.counters[counter] = (main + peer) / messages;
  state.counters[counters::main_of(counter)] = main / messages;
  state.counters[counters::peer_of(counter)] = peer / messages;
}

}  // namespace

void report_costs(benchmark::State& state, const EndCost& main, const EndCost& peer,
                  double messages) {
  const auto per_end = [&](const char* counter, std::int64_t m, std::int64_t p) {
    report_per_end(state, counter, static_cast<double>(m), static_cast<double>(p), messages);
  };
  const TaskStats& a = main.stats;
  const TaskStats& b = peer.stats;
  per_end(counters::kCpuPerMsg, a.cpu_ns, b.cpu_ns);
  state.counters[counters::kUserPerMsg] = static_cast<double>(a.user_ns + b.user_ns) / messages;
  state.counters[counters::kSystemPerMsg] =
      static_cast<double>(a.system_ns + b.system_ns) / messages;
  state.counters[counters::kHelperCpuPerMsg] =
      static_cast<double>(main.helper_cpu_ns + peer.helper_cpu_ns) / messages;
  per_end(counters::kVoluntaryPerMsg, a.voluntary_switches, b.voluntary_switches);
  per_end(counters::kInvoluntaryPerMsg, a.involuntary_switches, b.involuntary_switches);
  per_end(counters::kFaultsPerMsg, a.page_faults, b.page_faults);
  // Counted only in a counting pass, and on both ends (a remote peer's are never): else absent.
  if (main.counted_events() && peer.counted_events()) {
    per_end(counters::kSyscallsPerMsg, main.syscalls, peer.syscalls);
    per_end(counters::kMigrationsPerMsg, main.migrations, peer.migrations);
  }
}

void report_costs_per_op(benchmark::State& state, const TaskStats& spent, double ops) {
  auto& k = state.counters;
  k[counters::kFaultsPerOp] = static_cast<double>(spent.page_faults) / ops;
  k[counters::kVoluntaryPerOp] = static_cast<double>(spent.voluntary_switches) / ops;
  k[counters::kInvoluntaryPerOp] = static_cast<double>(spent.involuntary_switches) / ops;
  k[counters::kUserPerOp] = static_cast<double>(spent.user_ns) / ops;
  k[counters::kSystemPerOp] = static_cast<double>(spent.system_ns) / ops;
}

}  // namespace ipcbench
