// ctx/*: the cost of one context switch between two threads and between two processes, both
// pinned to one CPU, by lmbench's method: pass a token back and forth through two pipes (each
// pass forces a switch), then subtract what a pass costs with no switch (one thread writing and
// reading its own pipe). Processes also switch address spaces; threads of one process do not.
#include "base/clock.hpp"
#include "bench/families.hpp"
#include "bench/report_counters.hpp"
#include "bench/workload_guard.hpp"
#include "measure/counters.hpp"
#include "os/affinity.hpp"
#include "os/fd.hpp"
#include "os/io.hpp"
#include "os/peer.hpp"

namespace ipcbench {
namespace {

std::span<std::byte> bytes_of(std::uint64_t& v) { return std::as_writable_bytes(std::span(&v, 1)); }

// Mean cost of one write and one read of 8 bytes on a pipe, without a switch.
double pass_cost_ns() {
  auto [r, w] = make_pipe("pipe2 (ctx)");
  constexpr int kPasses = 20'000;
  std::uint64_t token = 0;
  CostMeter meter(CostScope{});
  const std::int64_t start = monotonic_ns();
  for (int i = 0; i < kPasses; ++i) {
    write_all(w.get(), bytes_of(token));
    read_exact(r.get(), bytes_of(token));
  }
  return static_cast<double>(monotonic_ns() - start) / kPasses;
}

void measure_ctx(benchmark::State& state, PeerKind kind, const RunSettings& run) {
  const PinPlan plan = plan_pins(PinPolicy::same, run.cpus);
  ScopedPin pin(plan.main_cpu);
  const double pass = pass_cost_ns();
  auto [to_peer_r, to_peer_w] = make_pipe("pipe2 (ctx)");
  auto [to_main_r, to_main_w] = make_pipe("pipe2 (ctx)");
  const int in = to_peer_r.get(), out = to_main_w.get();
  const int ours[] = {to_peer_w.get(), to_main_r.get()};
  // The peer echoes each token plus one until we close our end.
  Peer peer = Peer::start(kind, plan.peer_cpu, [in, out, ours, kind] {
    // A forked peer holds copies of our ends; it would never see EOF while it kept them.
    if (kind == PeerKind::process)
      for (const int fd : ours) ::close(fd);
    std::uint64_t token = 0, passes = 0;
    CostMeter meter(CostScope{});
    while (read_exact_or_eof(in, bytes_of(token))) {
      ++token;
      write_all(out, bytes_of(token));
      ++passes;
    }
    return PeerReport{.cost = meter.stop(), .messages = passes};
  });
  std::uint64_t token = 0;
  CostMeter meter(CostScope{});
  const std::int64_t start = monotonic_ns();
  for (auto _ : state) {
    write_all(to_peer_w.get(), bytes_of(token));
    const std::uint64_t sent = token;
    read_exact(to_main_r.get(), bytes_of(token));
    if (token != sent + 1) throw std::runtime_error("token came back as " + std::to_string(token));
  }
  const double round_trip =
      static_cast<double>(monotonic_ns() - start) / static_cast<double>(state.iterations());
  TaskStats spent = meter.stop().stats;
  to_peer_w.reset();
  spent += peer.join(run.peer_timeout).cost.stats;
  // Per pass: a round trip is two, each a switch.
  report_costs_per_op(state, spent, 2.0 * static_cast<double>(state.iterations()));
  // A round trip is two passes and two switches.
  state.counters[counters::kPassNs] = pass;
  state.counters[counters::kNsPerOp] = (round_trip - 2 * pass) / 2;
}

void register_ctx(const RunSettings& run, BenchmarkSet& set) {
  for (const PeerKind kind : {PeerKind::thread, PeerKind::process}) {
    const std::string name = "ctx/pipe_token/peer:" + std::string(to_string(kind)) + "/pin:same";
    set.add(
        name,
        [=](benchmark::State& state) {
          run_workload(state, name, [&] { measure_ctx(state, kind, run); });
        },
        Timing::real);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("ctx", &register_ctx);

}  // namespace ipcbench
