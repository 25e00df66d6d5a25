// Each headline figure's 95 % interval over a benchmark's repetitions (<counter>_lo, _hi in the
// results), and why a percentile is absent: the numbers the report states its choices beyond.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ipcbench {

// Whether a results entry is a measured repetition (not an aggregate, not failed or skipped), and
// the benchmark it repeats (run_name, else name).
bool is_good_iteration(const nlohmann::ordered_json& entry);
std::string run_name_of(const nlohmann::ordered_json& entry);

// The figures of an entry that carry an interval: percentiles, throughput, CPU per message,
// rates, times, and each searched capacity (load/.../search:p99).
std::vector<std::string> figures_with_interval(const nlohmann::ordered_json& entry);

struct FigureInterval {
  double median = 0;
  double lo = 0;
  double hi = 0;
  int repetitions = 0;
  // Half the interval's width over the median: how precisely the repetitions pin the figure.
  double relative_half_width() const { return median > 0 ? (hi - lo) / (2 * median) : 0; }
};

// Over the good iteration entries of one benchmark: each figure's median and interval, from the
// repetitions' spread (the median's order-statistic interval from 6 repetitions; their range,
// widened by each one's own sampling interval, below that). A figure some repetition lacks, or
// one measured once without a sampling interval, has none.
std::map<std::string, FigureInterval> intervals_of(
    const std::vector<const nlohmann::ordered_json*>& reps);

// Groups `benchmarks` (a results file's list) by run_name and writes each figure's interval into
// every good iteration entry of its benchmark; a percentile some repetition could not report is
// taken out of all of them, and every entry with samples says why a percentile is absent
// ("absent": {"p999_ns": "p99.9 needs 10,000 samples; this run has 1,402"}).
void annotate_results(nlohmann::ordered_json& benchmarks);

}  // namespace ipcbench
