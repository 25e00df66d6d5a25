#include "bench/families.hpp"

#include <map>
#include <optional>
#include <regex>

#include "base/usage_error.hpp"
#include "bench/instruction_count.hpp"

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
                       Timing timing, std::optional<benchmark::IterationCount> iterations) {
  if (!filter_->selects(name) || !selection_->selects(name)) return;
  names_.push_back(name);
  entries_.push_back({with_instruction_count(name, std::move(fn)), timing, iterations});
}

void BenchmarkSet::register_entry(const std::string& name, const Entry& e,
                                  std::optional<benchmark::IterationCount> iterations) const {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), e.fn);
  b->Unit(benchmark::kMicrosecond);
  e.timing == Timing::manual ? b->UseManualTime() : b->UseRealTime();
  if (e.iterations) iterations = e.iterations;
  if (iterations) b->Iterations(*iterations);
}

void BenchmarkSet::register_all() const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    register_entry(names_[i], entries_[i], std::nullopt);
  }
}

void BenchmarkSet::register_only(
    const std::unordered_set<std::string>& only,
    const std::map<std::string, benchmark::IterationCount>& iterations) const {
  benchmark::ClearRegisteredBenchmarks();
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (!only.count(names_[i])) continue;
    const auto it = iterations.find(names_[i]);
    register_entry(names_[i], entries_[i],
                   it == iterations.end() ? std::nullopt : std::optional(it->second));
  }
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

void register_benchmarks(const RunSettings& run, BenchmarkSet& set) {
  for (const auto& [name, fn] : family_registry()) {
    if (runs_family(run.profile, name)) fn(run, set);
  }
}

}  // namespace ipcbench
