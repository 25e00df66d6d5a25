#include "os/affinity.hpp"

#include <sched.h>

#include <stdexcept>

#include "base/system_error.hpp"

namespace ipcbench {
namespace {

std::vector<int> current_mask() {
  cpu_set_t set;
  CPU_ZERO(&set);
  check_syscall(sched_getaffinity(0, sizeof set, &set), "sched_getaffinity");
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return cpus;
}

void set_mask(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) CPU_SET(c, &set);
  check_syscall(sched_setaffinity(0, sizeof set, &set), "sched_setaffinity");
}

}  // namespace

std::string_view to_string(PinPolicy p) {
  switch (p) {
    case PinPolicy::none:
      return "none";
    case PinPolicy::same:
      return "same";
    case PinPolicy::cross:
      return "cross";
  }
  return "?";
}

std::optional<PinPolicy> parse_pin_policy(std::string_view s) {
  for (auto p : {PinPolicy::none, PinPolicy::same, PinPolicy::cross}) {
    if (to_string(p) == s) return p;
  }
  return std::nullopt;
}

const std::vector<int>& allowed_cpus() {
  static const std::vector<int> cpus = current_mask();
  return cpus;
}

bool pin_policy_possible(PinPolicy policy) {
  return policy != PinPolicy::cross || allowed_cpus().size() >= 2;
}

PinPlan plan_pins(PinPolicy policy, const PinCpus& chosen) {
  const auto& cpus = allowed_cpus();
  const int main_cpu = chosen.main.value_or(cpus.at(0));
  switch (policy) {
    case PinPolicy::none:
      return {};
    case PinPolicy::same:
      return {main_cpu, main_cpu};
    case PinPolicy::cross: {
      if (cpus.size() < 2) throw std::runtime_error("pin:cross needs two CPUs; this process has 1");
      if (chosen.peer) return {main_cpu, *chosen.peer};
      return {main_cpu, main_cpu == cpus[0] ? cpus[1] : cpus[0]};
    }
  }
  return {};
}

void pin_current_thread(std::optional<int> cpu) {
  if (cpu) set_mask({*cpu});
}

ScopedPin::ScopedPin(std::optional<int> cpu) {
  if (!cpu) return;
  previous_ = current_mask();
  set_mask({*cpu});
  active_ = true;
}

ScopedPin::~ScopedPin() {
  if (!active_) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : previous_) CPU_SET(c, &set);
  // Restoring a mask the kernel accepted before cannot fail; nothing useful to do if it did.
  (void)sched_setaffinity(0, sizeof set, &set);
}

}  // namespace ipcbench
