#include "families.hpp"

#include <map>
#include <optional>
#include <regex>

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

BenchmarkSet::BenchmarkSet(const std::string& filter) : filter_(std::make_unique<Filter>()) {
  if (filter.empty() || filter == "all") return;
  filter_->negate = filter[0] == '-';
  try {
    filter_->re.emplace(filter_->negate ? filter.substr(1) : filter, std::regex::extended);
  } catch (const std::regex_error& e) {
    throw UsageError("--filter='" + filter + "' is not a valid regular expression: " + e.what());
  }
}

BenchmarkSet::~BenchmarkSet() = default;

void BenchmarkSet::add(const std::string& name, std::function<void(benchmark::State&)> fn,
                       Timing timing) {
  if (!filter_->selects(name)) return;
  names_.push_back(name);
  auto* b = benchmark::RegisterBenchmark(name.c_str(), std::move(fn));
  b->Unit(benchmark::kMicrosecond);
  timing == Timing::manual ? b->UseManualTime() : b->UseRealTime();
}

bool register_family(const char* name, FamilyRegistrar fn) {
  family_registry()[name] = fn;
  return true;
}

void register_benchmarks(const Profile& profile, BenchmarkSet& set) {
  for (const auto& [name, fn] : family_registry()) {
    if (runs_family(profile, name)) fn(profile, set);
  }
}

}  // namespace ipcbench
