#include "app/figure_intervals.hpp"

#include <algorithm>
#include <cmath>

#include "measure/counters.hpp"
#include "measure/percentile_rule.hpp"

namespace ipcbench {
namespace {

using Json = nlohmann::ordered_json;

// The innermost rank k (1-based) whose order statistics x_(k), x_(n+1-k) bracket the median with
// at least 95 % confidence; 0 when n repetitions cannot (n < 6).
int median_rank(int n) {
  double tail = std::pow(0.5, n);  // P(Binomial(n, 1/2) <= j), accumulated
  double term = tail;
  int k = 0;
  for (int j = 0; j < n && tail <= 0.025; ++j) {
    k = j + 1;
    term = term * (n - j) / (j + 1);
    tail += term;
  }
  return k;
}

double number(const Json& e, const std::string& key, double fallback) {
  const auto it = e.find(key);
  return it != e.end() && it->is_number() ? it->get<double>() : fallback;
}

}  // namespace

bool is_good_iteration(const Json& e) {
  return e.value("run_type", "iteration") == "iteration" && !e.value("error_occurred", false);
}

std::string run_name_of(const Json& e) { return e.value("run_name", e.value("name", "")); }

std::vector<std::string> figures_with_interval(const Json& entry) {
  std::vector<std::string> all = {
      counters::kP50,          counters::kP90,     counters::kP99,     counters::kP999,
      counters::kCpuPerMsg,    "bytes_per_second", "items_per_second", counters::kAchievedRate,
      counters::kCapacityRate, counters::kNsPerOp, counters::kSpeedup, "real_time"};
  for (const auto& [key, value] : entry.items()) {
    const bool end = key.ends_with("_lo") || key.ends_with("_hi");
    if (key.starts_with(counters::kSearchedCapacityPrefix) && !end) all.push_back(key);
  }
  return all;
}

std::map<std::string, FigureInterval> intervals_of(const std::vector<const Json*>& reps) {
  std::map<std::string, FigureInterval> out;
  const int n = static_cast<int>(reps.size());
  if (n == 0) return out;
  for (const auto& figure : figures_with_interval(*reps.front())) {
    struct Rep {
      double value, lo, hi;
    };
    std::vector<Rep> values;
    for (const Json* e : reps) {
      const double v = number(*e, figure, NAN);
      if (std::isnan(v)) break;
      values.push_back(
          {v, number(*e, counters::lo_of(figure), v), number(*e, counters::hi_of(figure), v)});
    }
    if (static_cast<int>(values.size()) < n) continue;
    std::sort(values.begin(), values.end(),
              [](const Rep& a, const Rep& b) { return a.value < b.value; });
    FigureInterval f;
    f.repetitions = n;
    f.median = n % 2 ? values[n / 2].value : (values[n / 2 - 1].value + values[n / 2].value) / 2;
    if (const int k = median_rank(n); k > 0) {
      f.lo = values[k - 1].lo;
      f.hi = values[n - k].hi;
    } else {
      f.lo = std::min_element(values.begin(), values.end(), [](auto& a, auto& b) {
               return a.lo < b.lo;
             })->lo;
      f.hi = std::max_element(values.begin(), values.end(), [](auto& a, auto& b) {
               return a.hi < b.hi;
             })->hi;
    }
    if (n == 1 && f.lo == f.hi) continue;  // one measurement, no sampling interval: none to give
    out[figure] = f;
  }
  return out;
}

namespace {

// A percentile is reported for a benchmark only if every repetition could report it.
void take_out_unsampled(std::vector<Json*>& reps) {
  for (const auto& p : reported_percentiles()) {
    const bool everywhere = std::all_of(reps.begin(), reps.end(),
                                        [&](const Json* e) { return e->contains(p.counter); });
    if (everywhere) continue;
    for (Json* e : reps) {
      e->erase(p.counter);
      e->erase(counters::lo_of(p.counter));
      e->erase(counters::hi_of(p.counter));
    }
  }
}

void say_why_absent(Json& e) {
  const auto samples = e.find(counters::kSamples);
  if (samples == e.end() || !samples->is_number()) return;
  Json absent = Json::object();
  for (const auto& p : reported_percentiles()) {
    if (!e.contains(p.counter)) absent[p.counter] = absent_reason(p, samples->get<std::uint64_t>());
  }
  if (!absent.empty()) e["absent"] = std::move(absent);
}

}  // namespace

void annotate_results(Json& benchmarks) {
  std::map<std::string, std::vector<Json*>> groups;
  for (auto& e : benchmarks) {
    if (is_good_iteration(e)) groups[run_name_of(e)].push_back(&e);
  }
  for (auto& [name, reps] : groups) {
    take_out_unsampled(reps);
    const auto intervals = intervals_of({reps.begin(), reps.end()});
    for (Json* e : reps) {
      for (const auto& figure : figures_with_interval(*e)) {
        e->erase(counters::lo_of(figure));
        e->erase(counters::hi_of(figure));
      }
      for (const auto& [figure, f] : intervals) {
        (*e)[counters::lo_of(figure)] = f.lo;
        (*e)[counters::hi_of(figure)] = f.hi;
      }
      say_why_absent(*e);
    }
  }
}

}  // namespace ipcbench
