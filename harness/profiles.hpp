// Named run profiles, defined in one place: what is registered (sizes, peers, pins) and how long
// and how often each benchmark runs. Every entry point (make bench, CI, tests) names one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "affinity.hpp"
#include "transport.hpp"

namespace ipcbench {

struct Profile {
  std::string name;
  std::string description;
  std::vector<std::size_t> ipc_sizes;
  std::vector<PeerKind> peers;
  std::vector<PinPolicy> pins;
  // Fan-in: N producers to one consumer, for the mechanisms that support several writers.
  std::vector<std::size_t> fan_in_sizes;
  std::vector<int> fan_in_producers;
  std::vector<PinPolicy> fan_in_pins;
  double min_time_s = 0.1;  // Google Benchmark 1.7.1 takes plain seconds
  int repetitions = 1;
  bool random_interleaving = false;
};

const std::vector<Profile>& profiles();
const Profile* find_profile(std::string_view name);
std::string profile_names();  // "quick, default, full" for error messages and --help

}  // namespace ipcbench
