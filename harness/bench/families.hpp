// Benchmark families (ipc, floor, load, spawn, pool, cpu, ...) register their benchmarks for a
// profile here, so main never needs to know them and a new family is one file plus one
// registration line.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/unique_name.hpp"
#include "bench/settings.hpp"

namespace ipcbench {

// How Google Benchmark times a benchmark: manual (the driver measures, e.g. round trips) or
// real (wall clock around the loop). Never CPU time: a blocked peer's wait would not count.
enum class Timing { manual, real };

// Collects the benchmarks a profile runs that the filter selects, and registers them with Google
// Benchmark, all or (a round of repetitions, app/rounds) some. Filtering here, on our canonical
// names, keeps Google Benchmark's own suffixes ("/manual_time") from breaking a user's anchored
// regex.
class BenchmarkSet {
 public:
  // filter: a regex (extended syntax) matched against names; a leading '-' negates it.
  // selection: the profile's own regex (Profile::selection); a name must match both.
  // Throws UsageError for an invalid regex.
  explicit BenchmarkSet(const std::string& filter = "", const std::string& selection = "");
  ~BenchmarkSet();
  // iterations: a fixed count, for a benchmark whose one iteration is a whole run (load/*);
  // otherwise Google Benchmark chooses as many as min_time asks.
  void add(const std::string& name, std::function<void(benchmark::State&)> fn, Timing timing,
           std::optional<benchmark::IterationCount> iterations = std::nullopt);
  // The selected names, in registration order.
  const std::vector<std::string>& names() const { return names_; }
  // Google Benchmark's registry holds the selected benchmarks, or only those in `only`, each with
  // the iteration count `iterations` gives it (a later round: one trial, not Google Benchmark's
  // search for min_time), else its own.
  void register_all() const;
  void register_only(const std::unordered_set<std::string>& only,
                     const std::map<std::string, benchmark::IterationCount>& iterations = {}) const;

  struct Filter;

 private:
  struct Entry {
    std::function<void(benchmark::State&)> fn;
    Timing timing;
    std::optional<benchmark::IterationCount> iterations;
  };
  void register_entry(const std::string& name, const Entry& e,
                      std::optional<benchmark::IterationCount> iterations) const;

  std::unique_ptr<Filter> filter_;
  std::unique_ptr<Filter> selection_;
  std::vector<std::string> names_;
  std::vector<Entry> entries_;  // entries_[i] is names_[i]'s
};

// Registers a family's benchmarks for a run; the settings' profile says which and how many.
using FamilyRegistrar = void (*)(const RunSettings&, BenchmarkSet&);
bool register_family(const char* name, FamilyRegistrar fn);

// The registered family names, in order (for --families and its error message).
std::vector<std::string> family_names();

// Calls every registered family, in name order.
void register_benchmarks(const RunSettings& run, BenchmarkSet& set);

}  // namespace ipcbench

#define IPCBENCH_REGISTER_FAMILY(name, fn)                                    \
  [[maybe_unused]] static const bool IPCBENCH_UNIQUE_NAME(ipcbench_family_) = \
      ::ipcbench::register_family(name, fn)
