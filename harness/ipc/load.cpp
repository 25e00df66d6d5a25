#include "ipc/load.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "base/clock.hpp"
#include "bench/skip.hpp"
#include "ipc/ack.hpp"
#include "ipc/one_way.hpp"
#include "ipc/open_loop.hpp"
#include "measure/hgrm.hpp"
#include "measure/histogram.hpp"
#include "measure/payload.hpp"
#include "os/shared_memory.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// The peer: calibrate, then send on the schedule.
PeerReport send_on_schedule(Endpoint& ep, const LoadParams& p, OneWayShared& shared) {
  prctl(PR_SET_TIMERSLACK, 1UL);  // wake from the sleep as close to the due time as possible
  PayloadSource source(p.ipc.size, PayloadSource::Header::timed);
  const std::uint64_t first = calibrate(ep, source, shared);
  const double rate =
      p.rate.per_second > 0 ? p.rate.per_second : p.rate.of_capacity * shared.figures.capacity;
  const std::uint64_t planned = scheduled_messages(rate, p.length);
  const SentSchedule sent =
      send_schedule(ep, source, shared, first, rate, planned, peer_cost_scope(p.ipc));
  Acks::await(ep, first + sent.sent);  // the receiver has everything: closing cannot lose one
  return {sent.cost, sent.sent};
}

void receive_all(Endpoint& ep, const IpcParams& params, const OneWayShared& shared, Received& out,
                 benchmark::State& state) {
  std::vector<std::byte> buf(params.size);
  std::uint64_t seq = receive_calibration(ep, buf, shared);
  const std::uint64_t first = seq;
  CostMeter meter(main_cost_scope(params));
  for (auto _ : state) seq = receive_schedule(ep, buf, shared, seq, out);
  out.cost = meter.stop();
  out.messages = seq - first;
  Acks().send(ep, seq);
}

}  // namespace

void run_load(benchmark::State& state, const LoadParams& params) {
  if (!has_timestamp_room(state, "load", params.ipc.mechanism->name, params.ipc.size)) return;
  std::optional<SharedMemory> memory;
  auto* shared = place_shared<OneWayShared>(state, "load/" + params.ipc.mechanism->name, memory);
  if (!shared) return;
  Received got;
  auto report = run_with_peer(
      state, params.ipc, [&](Endpoint& ep) { return send_on_schedule(ep, params, *shared); },
      [&](Endpoint& ep) { receive_all(ep, params.ipc, *shared, got, state); });
  if (!report) return;
  state.SetIterationTime(got.corrected->mean() * 1e-9);
  report_open_loop(state, shared->figures, got, got.cost, report->cost, 1);
  if (!params.hgrm_path.empty()) write_hgrm(params.hgrm_path, *got.corrected);
}

}  // namespace ipcbench
