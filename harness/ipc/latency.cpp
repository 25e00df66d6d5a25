#include "ipc/latency.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "base/clock.hpp"
#include "bench/report_counters.hpp"
#include "hooks/slowed_endpoint.hpp"
#include "measure/histogram.hpp"
#include "measure/payload.hpp"
#include "measure/round_trip_timer.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
void run_latency(benchmark::State& state, const IpcParams& params) {
  const std::uint64_t warmup = warmup_messages(params.size);
  const auto measured = static_cast<std::uint64_t>(state.max_iterations);
  // Allocated here, before the peer starts, so the timed loop never allocates.
  auto hist = std::make_unique<Histogram>();
  PayloadSource source(params.size);
  std::vector<std::byte> reply(params.size);
  std::int64_t rtt_sum = 0, clock_cost = 0;
  EndCost main_cost;

  auto report = run_with_peer(
      state, params, {"latency", params.size, warmup, measured, peer_cost_scope(params)},
      [&](Endpoint& own) {
        // Test-only (--inject-slowdown): a delay calibrated on the warm-up, around our end.
        std::unique_ptr<Endpoint> slowed;
        if (params.hooks.slowdown_fraction > 0) {
          slowed = slowed_endpoint(own, params.hooks.slowdown_fraction, warmup);
        }
        Endpoint& ep = slowed ? *slowed : own;
        std::uint64_t seq = 0;
        for (; seq < warmup; ++seq) {
          ep.send(source.stamp(seq));
          verify_payload(ep.recv_view(reply), seq);
          StallWatchdog::progress();
        }
        // Measured here, on the CPU the loop runs on: a reading's cost differs between CPUs.
        RoundTripTimer timer(clock_pair_cost_ns());
        clock_cost = timer.pair_cost_ns();
        CostMeter meter(main_cost_scope(params));
        for (auto _ : state) {
          const auto msg = source.stamp(seq);
          timer.start();
          ep.send(msg);
          const auto got = ep.recv_view(reply);
          const std::int64_t rtt = timer.stop();
          verify_payload(got, seq);
          hist->record(static_cast<std::uint64_t>(rtt));
          rtt_sum += rtt;
          ++seq;
          StallWatchdog::progress();
        }
        main_cost = meter.stop();
      });
  if (!report) return;

  state.SetIterationTime(static_cast<double>(rtt_sum) * 1e-9);
  const double messages = 2.0 * static_cast<double>(measured);
  report_percentiles(state, *hist);
  state.counters[counters::kClockPairNs] = static_cast<double>(clock_cost);
  report_costs(state, main_cost, report->cost, messages);
}

}  // namespace ipcbench
