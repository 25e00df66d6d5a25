#include "profiles.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t KiB = 1024, MiB = 1024 * KiB;

std::vector<Profile> make_profiles() {
  const std::vector<PeerKind> both_peers = {PeerKind::process, PeerKind::thread};
  const std::vector<PinPolicy> all_pins = {PinPolicy::none, PinPolicy::same, PinPolicy::cross};
  // 8 B plus powers of 4 up to 1 MiB, which include 64 B and 1 KiB.
  const std::vector<std::size_t> grid = {8,       16,       64,       256,       KiB,
                                         4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB};
  std::vector<std::size_t> every_power_of_two;
  for (std::size_t s = 1; s <= MiB; s *= 2) every_power_of_two.push_back(s);

  return {
      {"quick",
       "smoke run in seconds: two sizes, both peer kinds, cross-CPU pinning",
       {64, 64 * KiB},
       both_peers,
       {PinPolicy::cross},
       0.02,
       1,
       false},
      {"default", "what `make bench` runs: every mechanism at 8 B..1 MiB, both peers, all pins",
       grid, both_peers, all_pins, 0.1, 1, false},
      {"full", "every power-of-two size from 1 B, 3 interleaved repetitions", every_power_of_two,
       both_peers, all_pins, 0.2, 3, true},
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
