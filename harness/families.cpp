#include "families.hpp"

#include <map>
#include <optional>
#include <regex>

#include "injected_peer_kill.hpp"
#include "injected_slowdown.hpp"
#include "instruction_count.hpp"
#include "usage_error.hpp"

namespace ipcbench {
namespace {

std::map<std::string, FamilyRegistrar>& family_registry() {
  static std::map<std::string, FamilyRegistrar> all;
  return all;
}

}  // namespace

struct BenchmarkSet::Filter {
  bool negate = false;
  std::optional<std::regex> re;
  bool selects(const std::string& name) const {
    return !re || std::regex_search(name, *re) != negate;
  }
};

namespace {

std::unique_ptr<BenchmarkSet::Filter> make_filter(const std::string& regex, const char* what) {
  auto f = std::make_unique<BenchmarkSet::Filter>();
  if (regex.empty() || regex == "all") return f;
  f->negate = regex[0] == '-';
  try {
    f->re.emplace(f->negate ? regex.substr(1) : regex, std::regex::extended);
  } catch (const std::regex_error& e) {
    throw UsageError(std::string(what) + "='" + regex +
                     "' is not a valid regular expression: " + e.what());
  }
  return f;
}

}  // namespace

BenchmarkSet::BenchmarkSet(const std::string& filter, const std::string& selection)
    : filter_(make_filter(filter, "--filter")),
      selection_(make_filter(selection, "the profile's selection")) {}

BenchmarkSet::~BenchmarkSet() = default;

void BenchmarkSet::add(const std::string& name, std::function<void(benchmark::State&)> fn,
                       Timing timing) {
  if (!filter_->selects(name) || !selection_->selects(name)) return;
  names_.push_back(name);
  const double slowdown = injected_slowdown_for(name);
  const bool kill_peers = injected_peer_kill_for(name);
  if (slowdown > 0 || kill_peers) {  // test-only faults, switched on around this benchmark only
    fn = [fn = std::move(fn), slowdown, kill_peers](benchmark::State& state) {
      set_current_injected_slowdown(slowdown);
      set_current_injected_peer_kill(kill_peers);
      fn(state);
      set_current_injected_slowdown(0);
      set_current_injected_peer_kill(false);
    };
  }
  fn = with_instruction_count(name, std::move(fn));
  auto* b = benchmark::RegisterBenchmark(name.c_str(), std::move(fn));
  b->Unit(benchmark::kMicrosecond);
  timing == Timing::manual ? b->UseManualTime() : b->UseRealTime();
}

bool register_family(const char* name, FamilyRegistrar fn) {
  family_registry()[name] = fn;
  return true;
}

std::vector<std::string> family_names() {
  std::vector<std::string> names;
  for (const auto& entry : family_registry()) names.push_back(entry.first);
  return names;
}

void register_benchmarks(const Profile& profile, BenchmarkSet& set) {
  for (const auto& [name, fn] : family_registry()) {
    if (runs_family(profile, name)) fn(profile, set);
  }
}

}  // namespace ipcbench
