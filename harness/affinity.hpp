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

// --cpus: the CPUs pin:same (main) and pin:cross (main, peer) use instead of the first two
// allowed ones. Without a peer CPU, cross takes the first other allowed CPU.
void set_pin_cpus(int main_cpu, std::optional<int> peer_cpu);

// Throws std::runtime_error if the policy needs more CPUs than the process may use.
PinPlan plan_pins(PinPolicy policy);
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
