#include "ipc/load_search.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>

#include "base/clock.hpp"
#include "bench/skip.hpp"
#include "ipc/ack.hpp"
#include "ipc/one_way.hpp"
#include "measure/counters.hpp"
#include "measure/percentile_rule.hpp"

namespace ipcbench {
namespace {

constexpr double kLowestRate = 1000;      // per second: the first probe's rate at the least
constexpr double kFirstShare = 1.0 / 32;  // of the calibrated capacity, for the first probe
constexpr double kHighestShare = 1.2;     // no probe beyond this share of it
constexpr double kResolution = 1.1;       // stop when the bracket is this narrow
// Each probe at least this long: a VM's millisecond stall is then a small share of a fast probe's
// messages, not the 3 % that broke a 30 ms probe's p99 in one round and not the next.
constexpr double kProbeSeconds = 0.1;
constexpr std::uint64_t kProbeSamples = 1'500;  // and this many messages (p99 needs 1,000)
constexpr int kMaxProbes = 24;
// A probe that broke the largest budget runs again, up to this many runs in all, judged on their
// pooled samples: one stall of a few ms is then under a percent of them.
constexpr int kMaxProbeRuns = 3;

// The receiver posts each probe (rate, messages) and the sender runs it.
struct SearchShared {
  OneWayShared one_way;
  std::atomic<bool> calibrated{false};
  std::atomic<std::uint64_t> posted{0};
  std::atomic<bool> finished{false};
  double rate = 0;
  std::uint64_t planned = 0;
};

PeerReport send_probes(Endpoint& ep, std::size_t size, CostScope scope,
                       std::chrono::milliseconds timeout, SearchShared& shared) {
  prctl(PR_SET_TIMERSLACK, 1UL);
  PayloadSource source(size, PayloadSource::Header::timed);
  const std::uint64_t first = calibrate(ep, source, shared.one_way);
  shared.calibrated.store(true, std::memory_order_release);
  std::uint64_t seq = first;
  EndCost cost;
  for (std::uint64_t k = 1;; ++k) {
    wait_until_ready([&] { return shared.posted.load(std::memory_order_acquire) >= k; }, timeout,
                     "post the next probe");
    if (shared.finished.load(std::memory_order_acquire)) break;
    const SentSchedule sent =
        send_schedule(ep, source, shared.one_way, seq, shared.rate, shared.planned, scope);
    seq += sent.sent;
    cost += sent.cost;
    Acks::await(ep, seq);
  }
  return {cost, seq - first};
}

struct Probe {
  double rate = 0;
  std::uint64_t p99_ns = 0;
  bool achieved = false;
  bool meets(std::int64_t budget_ns) const {
    return achieved && static_cast<std::int64_t>(p99_ns) <= budget_ns;
  }
};

// What the probes so far say of one budget: the highest rate that met it with every lower probe,
// and the lowest probe above that broke it (0: none yet).
struct Bracket {
  double met = 0;
  double broke = 0;
};

Bracket bracket(std::vector<Probe> probes, std::int64_t budget_ns) {
  std::sort(probes.begin(), probes.end(), [](auto& a, auto& b) { return a.rate < b.rate; });
  Bracket b;
  for (const auto& p : probes) {
    if (!p.meets(budget_ns)) {
      b.broke = p.rate;
      break;
    }
    b.met = p.rate;
  }
  return b;
}

class Searcher {
 public:
  Searcher(Endpoint& ep, std::size_t size, std::chrono::milliseconds timeout, SearchShared& shared)
      : ep_(ep), buf_(size), timeout_(timeout), shared_(shared) {}

  void run(const std::vector<std::int64_t>& budgets) {
    seq_ = receive_calibration(ep_, buf_, shared_.one_way);
    wait_until_ready([&] { return shared_.calibrated.load(std::memory_order_acquire); }, timeout_,
                     "finish its calibration");
    const double capacity = shared_.one_way.figures.capacity;
    const double highest = kHighestShare * capacity;
    const std::int64_t largest = *std::max_element(budgets.begin(), budgets.end());
    const double start = std::max(kLowestRate, kFirstShare * capacity);
    for (double r = start; size() < kMaxProbes; r = std::min(2 * r, highest)) {
      if (!probe(r, largest).meets(largest) || r >= highest) break;
    }
    for (std::int64_t budget : budgets) {
      for (Bracket b = bracket(probes_, budget);
           b.met > 0 && b.broke > kResolution * b.met && size() < kMaxProbes;
           b = bracket(probes_, budget)) {
        probe(std::sqrt(b.met * b.broke), largest);
      }
    }
    shared_.finished.store(true, std::memory_order_release);
    shared_.posted.fetch_add(1, std::memory_order_acq_rel);
  }

  const std::vector<Probe>& probes() const { return probes_; }
  int size() const { return static_cast<int>(probes_.size()); }

 private:
  // One schedule at `rate` into `got`; adds its messages and seconds.
  void run_schedule(double rate, Received& got, std::uint64_t& messages, double& seconds) {
    shared_.rate = rate;
    shared_.planned =
        std::max(kProbeSamples, static_cast<std::uint64_t>(std::ceil(rate * kProbeSeconds)));
    shared_.one_way.total.store(seq_ + shared_.planned, std::memory_order_release);
    shared_.posted.fetch_add(1, std::memory_order_acq_rel);
    const std::uint64_t first = seq_;
    seq_ = receive_schedule(ep_, buf_, shared_.one_way, seq_, got);
    acks_.send(ep_, seq_);
    messages += seq_ - first;
    const std::int64_t start =
        std::atomic_ref(shared_.one_way.figures.schedule_start_ns).load(std::memory_order_acquire);
    seconds += static_cast<double>(got.last_ns - start) * 1e-9;
  }

  // A probe that broke the largest budget runs again (kMaxProbeRuns) and is judged on all its runs'
  // samples: a stall of a millisecond or two is a percent of a 100 ms probe, enough to break a p99
  // alone.
  const Probe& probe(double rate, std::int64_t largest_budget) {
    Received got;
    std::uint64_t messages = 0;
    double seconds = 0;
    Probe p;
    for (int run = 0; run < kMaxProbeRuns && (run == 0 || !p.meets(largest_budget)); ++run) {
      run_schedule(rate, got, messages, seconds);
      const double achieved = seconds > 0 ? static_cast<double>(messages) / seconds : 0;
      const bool sampled = got.corrected->count() >= samples_needed(0.99);
      p = {rate, got.corrected->percentile(0.99), sampled && achieved >= 0.95 * rate};
    }
    probes_.push_back(p);
    return probes_.back();
  }

  Endpoint& ep_;
  std::vector<std::byte> buf_;
  std::chrono::milliseconds timeout_;
  SearchShared& shared_;
  Acks acks_;
  std::uint64_t seq_ = 0;
  std::vector<Probe> probes_;
};

void report_search(benchmark::State& state, const std::vector<Probe>& probes,
                   const std::vector<std::int64_t>& budgets, double capacity) {
  for (std::int64_t budget : budgets) {
    // When the lowest probe already broke the budget, the capacity lies below it: 0 up to there.
    const Bracket b = bracket(probes, budget);
    const std::string counter = capacity_counter(budget);
    state.counters[counter] = b.met;
    state.counters[counters::lo_of(counter)] = b.met;
    state.counters[counters::hi_of(counter)] = b.broke > 0 ? b.broke : b.met;
  }
  state.counters["probes"] = static_cast<double>(probes.size());
  state.counters[counters::kCapacityRate] = capacity;
}

}  // namespace

std::string capacity_counter(std::int64_t budget_ns) {
  return counters::kSearchedCapacityPrefix + std::to_string(budget_ns) + "ns";
}

void run_capacity_search(benchmark::State& state, const CapacitySearchParams& params) {
  const std::string what = "load/" + params.ipc.mechanism->name;
  if (!has_timestamp_room(state, "load", params.ipc.mechanism->name, params.ipc.size)) return;
  std::optional<SharedMemory> memory;
  auto* shared = place_shared<SearchShared>(state, what, memory);
  if (!shared) return;
  std::optional<Searcher> searcher;
  const std::int64_t start = monotonic_ns();
  auto report = run_with_peer(
      state, params.ipc,
      [&](Endpoint& ep) {
        return send_probes(ep, params.ipc.size, peer_cost_scope(params.ipc),
                           params.ipc.peer_timeout, *shared);
      },
      [&](Endpoint& ep) {
        searcher.emplace(ep, params.ipc.size, params.ipc.peer_timeout, *shared);
        for (auto _ : state) searcher->run(params.budgets_ns);
      });
  if (!report || !searcher) return;
  state.SetIterationTime(static_cast<double>(monotonic_ns() - start) * 1e-9);
  report_search(state, searcher->probes(), params.budgets_ns, shared->one_way.figures.capacity);
}

}  // namespace ipcbench
