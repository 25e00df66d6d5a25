#include "ipc/throughput.hpp"

#include <vector>

#include "base/clock.hpp"
#include "bench/report_counters.hpp"
#include "ipc/ack.hpp"
#include "measure/payload.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
void run_throughput(benchmark::State& state, const IpcParams& params) {
  const std::uint64_t warmup = warmup_messages(params.size);
  const auto measured = static_cast<std::uint64_t>(state.max_iterations);
  PayloadSource source(params.size);
  std::int64_t elapsed = 0;
  EndCost main_cost;

  auto report = run_with_peer(
      state, params, {"throughput", params.size, warmup, measured, peer_cost_scope(params)},
      [&](Endpoint& ep) {
        std::uint64_t seq = 0;
        for (; seq < warmup; ++seq) {
          ep.send(source.stamp(seq));
          StallWatchdog::progress();
        }
        Acks::await(ep, seq);  // the pipeline is empty: timing starts from a drained channel
        CostMeter meter(main_cost_scope(params));
        const std::int64_t t0 = monotonic_ns();
        for (auto _ : state) {
          ep.send(source.stamp(seq));
          ++seq;
          StallWatchdog::progress();
        }
        Acks::await(ep, seq);
        elapsed = monotonic_ns() - t0;
        main_cost = meter.stop();
      });
  if (!report) return;

  state.SetIterationTime(static_cast<double>(elapsed) * 1e-9);
  state.SetBytesProcessed(static_cast<std::int64_t>(measured * params.size));
  state.SetItemsProcessed(static_cast<std::int64_t>(measured));
  const auto messages = static_cast<double>(measured);
  report_costs(state, main_cost, report->cost, messages);
}

}  // namespace ipcbench
