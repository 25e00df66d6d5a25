#include "measure/hgrm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace ipcbench {
namespace {

constexpr double kNsPerUnit = 1000;  // values in µs, as HdrHistogram's tools show them
constexpr int kTicksPerHalfDistance = 5;

std::string line(double value, double q, std::uint64_t count, bool last) {
  char buf[128];
  if (last) {
    std::snprintf(buf, sizeof buf, "%12.3f %14.12f %10llu\n", value, q,
                  static_cast<unsigned long long>(count));
  } else {
    std::snprintf(buf, sizeof buf, "%12.3f %14.12f %10llu %14.2f\n", value, q,
                  static_cast<unsigned long long>(count), 1 / (1 - q));
  }
  return buf;
}

}  // namespace

std::string hgrm_text(const Histogram& h) {
  std::string out = "       Value     Percentile TotalCount 1/(1-Percentile)\n\n";
  const auto n = h.count();
  // HdrHistogram's percentile iteration: ticks that halve the distance to 100 % each time.
  for (double half = 0.5, q = 0;;) {
    const double step = half / kTicksPerHalfDistance;
    const std::uint64_t at =
        std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(q * n)), 1, n);
    const bool last = at >= n || q >= 1 - 1e-12 || half < 1e-9;
    out += line(static_cast<double>(last ? h.max() : h.percentile(q)) / kNsPerUnit, last ? 1.0 : q,
                last ? n : at, last);
    if (last) break;
    q += step;
    if (q >= 1 - half - 1e-12) half /= 2;
  }
  char footer[256];
  std::snprintf(footer, sizeof footer,
                "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n"
                "#[Max     = %12.3f, Total count    = %12llu]\n"
                "#[Buckets = %12d, SubBuckets     = %12llu]\n",
                h.mean() / kNsPerUnit, h.stddev() / kNsPerUnit,
                static_cast<double>(h.max()) / kNsPerUnit, static_cast<unsigned long long>(n),
                64 - Histogram::kSubBucketBits + 1,
                static_cast<unsigned long long>(Histogram::kSubBuckets));
  return out + footer;
}

void write_hgrm(const std::string& path, const Histogram& h) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << hgrm_text(h);
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot write " + path);
}

}  // namespace ipcbench
