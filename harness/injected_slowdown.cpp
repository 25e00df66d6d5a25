#include "injected_slowdown.hpp"

#include <optional>
#include <regex>

#include "ipc_session.hpp"
#include "usage_error.hpp"

namespace ipcbench {
namespace {

struct Injection {
  std::regex names;
  double fraction = 0;
};

std::optional<Injection>& injection() {
  static std::optional<Injection> value;
  return value;
}

double current = 0;

}  // namespace

void set_injected_slowdown(const std::string& spec) {
  const auto colon = spec.rfind(':');
  const std::string usage = "--inject-slowdown='" + spec +
                            "' must be REGEX:PERCENT, e.g. --inject-slowdown='ipc/pipe/latency:10'";
  if (colon == std::string::npos || colon == 0) throw UsageError(usage);
  double percent = 0;
  try {
    std::size_t used = 0;
    percent = std::stod(spec.substr(colon + 1), &used);
    if (used != spec.size() - colon - 1) throw UsageError(usage);
  } catch (const std::logic_error&) {
    throw UsageError(usage);
  }
  if (percent <= 0 || percent > 1000) throw UsageError(usage);
  try {
    injection() = Injection{std::regex(spec.substr(0, colon), std::regex::extended), percent / 100};
  } catch (const std::regex_error& e) {
    throw UsageError(usage + " (" + e.what() + ")");
  }
}

double injected_slowdown_for(const std::string& name) {
  const auto& inj = injection();
  return inj && std::regex_search(name, inj->names) ? inj->fraction : 0;
}

double current_injected_slowdown() { return current; }
void set_current_injected_slowdown(double fraction) { current = fraction; }

void spin_for_ns(std::int64_t ns) {
  const std::int64_t end = monotonic_ns() + ns;
  while (monotonic_ns() < end) {
  }
}

}  // namespace ipcbench
