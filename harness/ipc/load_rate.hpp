// The offered rate of a load/* benchmark, as written in its name and on the command line: an
// absolute rate ("1k", "250k", "1M" messages per second) or a share of the mechanism's capacity
// measured at the start of the benchmark ("50%", "110%").
#pragma once

#include <string>

namespace ipcbench {

struct LoadRate {
  std::string name;        // as in the benchmark's name: rate:<name>
  double per_second = 0;   // absolute; 0 when a share of capacity
  double of_capacity = 0;  // 0.5 for "50%"; 0 when absolute
};

// Throws UsageError naming the problem: not a rate, 0 or negative, above 100M/s or 1000 %.
LoadRate parse_load_rate(const std::string& text);

}  // namespace ipcbench
