// CPU pinning policies for a pair of peers: none (the scheduler decides, what users meet),
// same (both ends share one CPU: no cross-CPU wake-ups) and cross (one CPU each).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ipcbench {

enum class PinPolicy { none, same, cross };

std::string_view to_string(PinPolicy p);
std::optional<PinPolicy> parse_pin_policy(std::string_view s);

// The CPUs this process may run on (its affinity mask at start-up), in ascending order.
const std::vector<int>& allowed_cpus();

struct PinPlan {
  std::optional<int> main_cpu;
  std::optional<int> peer_cpu;
};

// The CPUs pinning uses (--cpus): pin:same puts both ends on `main`, pin:cross puts the peer on
// `peer`, or without one on the first other allowed CPU.
struct PinCpus {
  std::optional<int> main;  // empty: the first allowed CPU
  std::optional<int> peer;
};

// Throws std::runtime_error if the policy needs more CPUs than the process may use.
PinPlan plan_pins(PinPolicy policy, const PinCpus& cpus = {});
bool pin_policy_possible(PinPolicy policy);

// Pins the calling thread to cpu (no-op for nullopt).
void pin_current_thread(std::optional<int> cpu);

// Pins the calling thread for the object's lifetime and restores the previous mask afterwards,
// so one benchmark's pinning never leaks into the next.
class ScopedPin {
 public:
  explicit ScopedPin(std::optional<int> cpu);
  ~ScopedPin();
  ScopedPin(const ScopedPin&) = delete;
  ScopedPin& operator=(const ScopedPin&) = delete;

 private:
  bool active_ = false;
  std::vector<int> previous_;
};

}  // namespace ipcbench
