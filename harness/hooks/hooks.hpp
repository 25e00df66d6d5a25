// Test-only faults, chosen on the command line and carried in RunSettings: --inject-slowdown
// (a change of known size, to measure what the regression tracker detects) and
// --inject-peer-kill (a peer that dies mid-benchmark, to test that it is detected).
#pragma once

#include <memory>
#include <regex>
#include <string>

namespace ipcbench {

// What the hooks ask of one benchmark; all off in every real run.
struct BenchmarkHooks {
  double slowdown_fraction = 0;     // spin for this fraction of the median warm-up round trip
  bool kill_process_peers = false;  // each process peer SIGKILLs itself a few ms in
};

class Hooks {
 public:
  // "REGEX:PERCENT", e.g. "ipc/pipe/latency/.*size:64$:10"; throws UsageError.
  void inject_slowdown(const std::string& spec);
  // An extended regex of benchmark names; throws UsageError.
  void inject_peer_kill(const std::string& regex);

  BenchmarkHooks for_benchmark(const std::string& name) const;

 private:
  // Shared: RunSettings is copied into every benchmark's closure, the patterns need not be.
  std::shared_ptr<const std::regex> slowdown_names_;
  double slowdown_fraction_ = 0;
  std::shared_ptr<const std::regex> peer_kill_names_;
};

}  // namespace ipcbench
