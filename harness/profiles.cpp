#include "profiles.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t KiB = 1024, MiB = 1024 * KiB;

std::vector<Profile> make_profiles() {
  const std::vector<PeerKind> both_peers = {PeerKind::process, PeerKind::thread};
  const std::vector<PinPolicy> all_pins = {PinPolicy::none, PinPolicy::same, PinPolicy::cross};
  std::vector<std::size_t> every_power_of_two;
  for (std::size_t s = 1; s <= MiB; s *= 2) every_power_of_two.push_back(s);

  const std::vector<int> producers = {1, 2, 4, 8};
  return {
      {.name = "quick",
       .description = "smoke run in seconds: two sizes, both peer kinds, cross-CPU pinning",
       .ipc_sizes = {64, 64 * KiB},
       .peers = both_peers,
       .pins = {PinPolicy::cross},
       .fan_in_sizes = {64},
       .fan_in_producers = {2},
       .fan_in_pins = {PinPolicy::none},
       .min_time_s = 0.02},
      {.name = "default",
       .description = "what `make bench` runs: every mechanism at 8 B..1 MiB, both peers, "
                      "same- and cross-CPU, fan-in to 8 producers",
       .ipc_sizes = {8, 64, KiB, 16 * KiB, 64 * KiB, MiB},
       .peers = both_peers,
       .pins = {PinPolicy::same, PinPolicy::cross},
       .fan_in_sizes = {64},
       .fan_in_producers = producers,
       .fan_in_pins = {PinPolicy::none},
       .min_time_s = 0.05},
      {.name = "full",
       .description = "every power-of-two size from 1 B, all pinnings, 3 interleaved repetitions",
       .ipc_sizes = every_power_of_two,
       .peers = both_peers,
       .pins = all_pins,
       .fan_in_sizes = {16, 64, 256, KiB, 4 * KiB, 64 * KiB},
       .fan_in_producers = producers,
       .fan_in_pins = all_pins,
       .min_time_s = 0.2,
       .repetitions = 3,
       .random_interleaving = true},
  };
}

}  // namespace

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = make_profiles();
  return all;
}

const Profile* find_profile(std::string_view name) {
  for (const auto& p : profiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string profile_names() {
  std::string out;
  for (const auto& p : profiles()) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

}  // namespace ipcbench
