#include "hooks/hooks.hpp"

#include "base/usage_error.hpp"

namespace ipcbench {
namespace {

std::shared_ptr<const std::regex> compile(const std::string& regex, const std::string& usage) {
  try {
    return std::make_shared<const std::regex>(regex, std::regex::extended);
  } catch (const std::regex_error& e) {
    throw UsageError(usage + " (" + e.what() + ")");
  }
}

double parse_percent(const std::string& text, const std::string& usage) {
  double percent = 0;
  try {
    std::size_t used = 0;
    percent = std::stod(text, &used);
    if (used != text.size()) throw UsageError(usage);
  } catch (const std::logic_error&) {
    throw UsageError(usage);
  }
  if (percent <= 0 || percent > 1000) throw UsageError(usage);
  return percent;
}

}  // namespace

void Hooks::inject_slowdown(const std::string& spec) {
  const auto colon = spec.rfind(':');
  const std::string usage = "--inject-slowdown='" + spec +
                            "' must be REGEX:PERCENT, e.g. --inject-slowdown='ipc/pipe/latency:10'";
  if (colon == std::string::npos || colon == 0) throw UsageError(usage);
  slowdown_fraction_ = parse_percent(spec.substr(colon + 1), usage) / 100;
  slowdown_names_ = compile(spec.substr(0, colon), usage);
}

void Hooks::inject_peer_kill(const std::string& regex) {
  peer_kill_names_ =
      compile(regex, "--inject-peer-kill='" + regex + "' is not a valid regular expression");
}

BenchmarkHooks Hooks::for_benchmark(const std::string& name) const {
  BenchmarkHooks hooks;
  if (slowdown_names_ && std::regex_search(name, *slowdown_names_)) {
    hooks.slowdown_fraction = slowdown_fraction_;
  }
  hooks.kill_process_peers = peer_kill_names_ && std::regex_search(name, *peer_kill_names_);
  return hooks;
}

}  // namespace ipcbench
