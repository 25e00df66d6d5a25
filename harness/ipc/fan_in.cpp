#include "ipc/fan_in.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "bench/report_counters.hpp"
#include "measure/payload.hpp"
#include "os/fd.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

// A message's sequence number carries its producer in the high bits.
constexpr int kProducerShift = 40;
constexpr std::uint64_t kIndexMask = (std::uint64_t{1} << kProducerShift) - 1;

std::uint64_t fan_in_sequence(int producer, std::uint64_t index) {
  return (static_cast<std::uint64_t>(producer) << kProducerShift) | index;
}

// What the consumer has received from each producer so far.
class Ledger {
 public:
  explicit Ledger(int producers) : next_(static_cast<std::size_t>(producers), 0) {}

  void record(std::span<const std::byte> msg) {
    const std::uint64_t seq = claimed_sequence(msg);
    const std::uint64_t producer = seq >> kProducerShift;
    if (producer >= next_.size()) {
      throw PayloadError("message claims producer " + std::to_string(producer) + " of " +
                         std::to_string(next_.size()) + " (corrupt header)");
    }
    verify_payload(msg, seq);  // the checksum covers the header, so the claim is now proven
    const std::uint64_t index = seq & kIndexMask;
    auto& expected = next_[producer];
    if (index != expected) {
      throw PayloadError("producer " + std::to_string(producer) + ": expected message " +
                         std::to_string(expected) + ", got " + std::to_string(index) +
                         (index > expected ? " (messages lost)" : " (duplicated)"));
    }
    ++expected;
  }

  void expect_totals(const std::vector<std::uint64_t>& totals) const {
    for (std::size_t p = 0; p < totals.size(); ++p) {
      if (next_[p] != totals[p]) {
        throw PayloadError("producer " + std::to_string(p) + ": received " +
                           std::to_string(next_[p]) + " messages, sent " +
                           std::to_string(totals[p]));
      }
    }
  }

 private:
  std::vector<std::uint64_t> next_;
};

// Reads one byte of a consumer-to-producer signal pipe: true for a byte, false at EOF (every
// write end closed). EINTR just retries: producers take no orders from the watchdog here, the
// consumer's closing its ends is what releases them.
bool read_signal(int fd, const char* what) {
  char byte;
  for (;;) {
    const ssize_t n = ::read(fd, &byte, 1);
    if (n >= 0) return n == 1;
    if (errno != EINTR) check_syscall(n, what);
  }
}

// Blocks until the consumer says go (one byte each); EOF means it gave up.
void await_go(int fd) {
  if (!read_signal(fd, "read (fan-in start)")) {
    throw ChannelClosed("the consumer ended before the measured phase");
  }
}

// Blocks until the consumer closes the end pipe: it has received and checked everything, or
// given up. Producers stay connected until then because some mechanisms drop the messages a
// finished sender left in flight when it disconnects (ZeroMQ over ipc:// did, here), and how a
// mechanism behaves at shutdown is not what fan-in measures.
void await_consumer_done(int fd) {
  while (read_signal(fd, "read (fan-in end)")) {
  }
}

// Messages each producer sends in the measured phase: the total split as evenly as possible.
std::vector<std::uint64_t> split(std::uint64_t total, int producers) {
  std::vector<std::uint64_t> counts(static_cast<std::size_t>(producers), total / producers);
  for (std::uint64_t p = 0; p < total % producers; ++p) ++counts[p];
  return counts;
}

}  // namespace

void run_fan_in(benchmark::State& state, const IpcParams& params) {
  const int n = params.producers;
  const std::uint64_t warmup = std::max<std::uint64_t>(2, warmup_messages(params.size) / n);
  const auto measured = split(static_cast<std::uint64_t>(state.max_iterations), n);
  // The consumer starts the measured phase with one byte per producer on `go`, and closes
  // `done` once it has everything (or on any exit), releasing the producers.
  auto [go_read, go_write] = make_pipe("pipe2 (fan-in start)");
  auto [done_read, done_write] = make_pipe("pipe2 (fan-in end)");
  std::int64_t elapsed = 0;
  EndCost main_cost;

  auto producer = [&](int index, Endpoint& ep) -> PeerReport {
    if (params.peer == PeerKind::process) {  // our copies would hide the consumer's EOF
      go_write.reset();
      done_write.reset();
    }
    PayloadSource source(params.size);
    std::uint64_t i = 0;
    for (; i < warmup; ++i) ep.send(source.stamp(fan_in_sequence(index, i)));
    await_go(go_read.get());
    CostMeter meter(peer_cost_scope(params));
    const std::uint64_t end = warmup + measured[static_cast<std::size_t>(index)];
    for (; i < end; ++i) ep.send(source.stamp(fan_in_sequence(index, i)));
    const EndCost cost = meter.stop();
    await_consumer_done(done_read.get());
    return {cost, end - warmup};
  };

  auto consumer = [&](Endpoint& ep) {
    Fd go = std::move(go_write);  // closed on any exit, so waiting producers are released
    Fd done = std::move(done_write);
    std::vector<std::byte> buf(params.size);
    Ledger ledger(n);
    for (std::uint64_t i = 0; i < warmup * n; ++i) {
      ledger.record(ep.recv_view(buf));
      StallWatchdog::progress();
    }
    const std::string go_bytes(static_cast<std::size_t>(n), 'g');
    CostMeter meter(main_cost_scope(params));
    const std::int64_t t0 = monotonic_ns();
    check_syscall(::write(go.get(), go_bytes.data(), go_bytes.size()), "write (fan-in start)");
    for (auto _ : state) {
      ledger.record(ep.recv_view(buf));
      StallWatchdog::progress();
    }
    elapsed = monotonic_ns() - t0;
    main_cost = meter.stop();
    std::vector<std::uint64_t> totals(measured);
    for (auto& t : totals) t += warmup;
    ledger.expect_totals(totals);
    done.reset();  // everything arrived: the producers may disconnect
  };

  auto reports = run_with_producers(state, params, producer, consumer);
  if (!reports) return;

  EndCost peer_cost = reports->front().cost;
  for (std::size_t i = 1; i < reports->size(); ++i) peer_cost += (*reports)[i].cost;
  const auto messages = static_cast<double>(state.max_iterations);
  state.SetIterationTime(static_cast<double>(elapsed) * 1e-9);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.max_iterations) *
                          static_cast<std::int64_t>(params.size));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.max_iterations));
  report_costs(state, main_cost, peer_cost, messages);
}

}  // namespace ipcbench
