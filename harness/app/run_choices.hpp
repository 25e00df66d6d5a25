// The user's narrowing of a profile (--mechanisms, --families, --sizes, --cpus), checked against
// what this build and this machine have, so a typo is a one-line error instead of an empty run.
#pragma once

#include <string>

#include "bench/settings.hpp"

namespace ipcbench {

// The flags' raw values; empty: the profile's own choice.
struct RunChoices {
  std::string mechanisms;  // --mechanisms=pipe,tcp      only these ipc mechanisms
  std::string families;    // --families=ipc,spawn,py    only these families (a prefix: floor)
  std::string sizes;       // --sizes=64,4K,1M            ipc message sizes, 1 B .. 64 MiB
  std::string cpus;        // --cpus=0,1                  the CPUs pin:same and pin:cross use
};

// Applies the choices to the run's profile and CPUs; throws UsageError naming the bad value and
// what would be accepted. Returns whether the py/ families still run.
bool apply_run_choices(const RunChoices& choices, RunSettings& run);

inline constexpr std::size_t kLargestChosenSize = std::size_t{64} << 20;

}  // namespace ipcbench
