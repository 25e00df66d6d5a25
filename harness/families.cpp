#include "families.hpp"

#include <map>

namespace ipcbench {
namespace {

std::map<std::string, FamilyRegistrar>& family_registry() {
  static std::map<std::string, FamilyRegistrar> all;
  return all;
}

}  // namespace

benchmark::internal::Benchmark* BenchmarkSet::add(const std::string& name,
                                                  std::function<void(benchmark::State&)> fn) {
  names_.push_back(name);
  return benchmark::RegisterBenchmark(name.c_str(), std::move(fn));
}

bool register_family(const char* name, FamilyRegistrar fn) {
  family_registry()[name] = fn;
  return true;
}

void register_benchmarks(const Profile& profile, BenchmarkSet& set) {
  for (const auto& [name, fn] : family_registry()) fn(profile, set);
}

}  // namespace ipcbench
