// How the shared-memory ring copies messages in, chosen by measurement on this machine: ordinary
// stores, or cache-bypassing ones from some size up. Measured the first time a shared-memory
// benchmark needs it (again in each round of a run in rounds), and written into the results.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "os/affinity.hpp"

namespace ipcbench {

// One measured point: a stream of `size`-byte messages through a ring from one CPU to another.
struct RingCopyTrial {
  std::size_t size = 0;
  bool streaming = false;
  double bytes_per_second = 0;  // the median of the rounds
};

struct RingCopyChoice {
  // Chunks of this many bytes or more bypass the cache; SIZE_MAX: never.
  std::size_t streaming_min = 0;
  std::vector<RingCopyTrial> trials;
};

// Streams each candidate size both ways, interleaved, in rounds, between two threads pinned as
// `cpus` says (across CPUs where there are two); streaming starts at the smallest size from which
// it was faster at every larger size measured.
RingCopyChoice measure_ring_copy(const PinCpus& cpus);

// A choice measured on first use and shared by every copy of the handle: a run's settings carry
// one, so a run without shared-memory benchmarks never pays for it.
class RingCopyPlan {
 public:
  explicit RingCopyPlan(PinCpus cpus) : state_(std::make_shared<State>(cpus)) {}
  const RingCopyChoice& choice() const;
  // The first choice measured in this run, for the results.
  std::optional<RingCopyChoice> measured() const;
  // Every choice measured in this run, oldest first.
  std::vector<RingCopyChoice> history() const;
  // Measure again on the next use (between rounds, when no benchmark runs): a choice made once in
  // a fast moment of the machine would otherwise hold for every round, unseen by their spread.
  void forget();

 private:
  struct State {
    explicit State(PinCpus c) : cpus(c) {}
    PinCpus cpus;
    mutable std::mutex mutex;
    std::optional<RingCopyChoice> current;
    std::vector<RingCopyChoice> history;
  };
  std::shared_ptr<State> state_;
};

}  // namespace ipcbench
