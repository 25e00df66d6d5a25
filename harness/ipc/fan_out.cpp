#include "ipc/fan_out.hpp"

#include <unistd.h>

#include <string>
#include <vector>

#include "base/clock.hpp"
#include "bench/report_counters.hpp"
#include "measure/payload.hpp"
#include "os/fd.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// Consumers report to the producer on a side pipe, one byte each: once after the warm-up and
// once after the last message, both verified. The pipe is not the mechanism under test, so its
// cost is one wake-up per phase, not one per message.
void report_phase(int fd) {
  const char byte = 'c';
  retry_interrupted([&] { return ::write(fd, &byte, 1); }, "write (fan-out report)");
}

// Blocks until all `consumers` have reported; a consumer that died stops the wait through the
// watchdog, and EOF (every consumer gone) through ChannelClosed.
void await_reports(int fd, int consumers) {
  std::vector<char> bytes(static_cast<std::size_t>(consumers));
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n =
        retry_interrupted([&] { return ::read(fd, bytes.data() + got, bytes.size() - got); },
                          "read (fan-out report)");
    if (n == 0) throw ChannelClosed("every consumer ended before reporting");
    got += static_cast<std::size_t>(n);
  }
}

// Receives and verifies messages [from, to) in order (the session names the consumer that fails).
void receive(Endpoint& ep, std::vector<std::byte>& buf, std::uint64_t from, std::uint64_t to) {
  for (std::uint64_t seq = from; seq < to; ++seq) verify_payload(ep.recv_view(buf), seq);
}

}  // namespace

void run_fan_out(benchmark::State& state, const IpcParams& params) {
  const int n = params.consumers;
  const std::uint64_t warmup = warmup_messages(params.size);
  const auto measured = static_cast<std::uint64_t>(state.max_iterations);
  auto [report_read, report_write] = make_pipe("pipe2 (fan-out reports)");
  std::int64_t elapsed = 0;
  EndCost main_cost;

  auto consumer = [&](int, Endpoint& ep) -> PeerReport {
    if (params.peer == PeerKind::process) report_read.reset();
    std::vector<std::byte> buf(params.size);
    receive(ep, buf, 0, warmup);
    report_phase(report_write.get());
    CostMeter meter(peer_cost_scope(params));
    receive(ep, buf, warmup, warmup + measured);
    const EndCost cost = meter.stop();
    report_phase(report_write.get());
    return {cost, measured};
  };

  auto producer = [&](Endpoint& ep) {
    // Our copy would hide the consumers' EOF; thread consumers share it, so it stays open then.
    if (params.peer == PeerKind::process) report_write.reset();
    PayloadSource source(params.size);
    std::uint64_t seq = 0;
    for (; seq < warmup; ++seq) {
      ep.send(source.stamp(seq));
      StallWatchdog::progress();
    }
    await_reports(report_read.get(), n);  // timing starts from drained channels
    CostMeter meter(main_cost_scope(params));
    const std::int64_t t0 = monotonic_ns();
    for (auto _ : state) {
      ep.send(source.stamp(seq));
      ++seq;
      StallWatchdog::progress();
    }
    await_reports(report_read.get(), n);
    elapsed = monotonic_ns() - t0;
    main_cost = meter.stop();
  };

  auto reports = run_with_consumers(state, params, consumer, producer);
  if (!reports) return;

  EndCost peer_cost = reports->front().cost;
  for (std::size_t i = 1; i < reports->size(); ++i) peer_cost += (*reports)[i].cost;
  state.SetIterationTime(static_cast<double>(elapsed) * 1e-9);
  state.SetBytesProcessed(static_cast<std::int64_t>(measured * params.size));
  state.SetItemsProcessed(static_cast<std::int64_t>(measured));
  // The CPU of the producer and of every consumer, per message published.
  report_costs(state, main_cost, peer_cost, static_cast<double>(measured));
}

}  // namespace ipcbench
