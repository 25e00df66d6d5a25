// ipcbench's command line: our own flags, plus --benchmark_* passed through to Google Benchmark.
// Parsing is separate from main() so the tests can check every rejection.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/run_choices.hpp"
#include "hooks/hooks.hpp"
#include "os/peer.hpp"

namespace ipcbench {

// When system calls and migrations are counted (--kernel-events): in a pass of their own after the
// timed rounds (counting slows the messages down), inside the timed rounds (to measure by how
// much), or not at all.
enum class KernelEventCounting { separate_pass, in_timed_rounds, off };

struct Options {
  std::string profile = "default";
  std::string out;  // empty: results/<run-id>.json, and results/latest.json points to it
  std::string filter;
  bool list = false;
  bool no_python = false;  // leave out the py/ families
  bool help = false;
  KernelEventCounting kernel_events = KernelEventCounting::separate_pass;
  std::chrono::milliseconds peer_timeout = kDefaultPeerTimeout;
  // The options families declare (--rates, --homework-loops, ...): flag and value, in order given.
  std::vector<std::pair<std::string, std::string>> family_values;
  RunChoices choices;  // --mechanisms, --families, --sizes, --cpus
  Hooks hooks;         // test-only: --inject-slowdown, --inject-peer-kill
  // --remote=HOST:PORT: also measure the network mechanisms against `ipcbench serve` there
  // (net/...); --token-file: the shared secret it expects.
  std::string remote;
  std::string token_file;
  int remote_protocol = 0;  // test-only (--inject-protocol-version): 0 is the real one
  // --benchmark_repetitions, which replaces the profile's; kept out of benchmark_flags.
  std::optional<int> repetitions;
  std::vector<std::string> benchmark_flags;  // passed through unchanged
};

// Throws UsageError with a one-line message for anything it does not understand.
Options parse_options(const std::vector<std::string>& args);
std::string usage_text();

}  // namespace ipcbench
