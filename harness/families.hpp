// Benchmark families (ipc, ref, later workers...) register their benchmarks for a profile here,
// so main never needs to know them and a new family is one file plus one registration line.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <string>
#include <vector>

#include "profiles.hpp"

namespace ipcbench {

// Collects the benchmarks a profile runs, registering each with Google Benchmark.
class BenchmarkSet {
 public:
  benchmark::internal::Benchmark* add(const std::string& name,
                                      std::function<void(benchmark::State&)> fn);
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

using FamilyRegistrar = void (*)(const Profile&, BenchmarkSet&);
bool register_family(const char* name, FamilyRegistrar fn);

// Calls every registered family, in name order.
void register_benchmarks(const Profile& profile, BenchmarkSet& set);

}  // namespace ipcbench

#define IPCBENCH_REGISTER_FAMILY(name, fn)                                          \
  [[maybe_unused]] static const bool IPCBENCH_FAMILY_CONCAT(ipcbench_family_, \
                                                            __LINE__) =       \
      ::ipcbench::register_family(name, fn)
#define IPCBENCH_FAMILY_CONCAT_INNER(a, b) a##b
#define IPCBENCH_FAMILY_CONCAT(a, b) IPCBENCH_FAMILY_CONCAT_INNER(a, b)
