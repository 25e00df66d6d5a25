#include <gtest/gtest.h>

#include "app/figure_intervals.hpp"

using namespace ipcbench;
using Json = nlohmann::ordered_json;

namespace {

Json rep(const std::string& name, double p50, std::uint64_t samples = 100'000) {
  return {{"name", name},  {"run_name", name},     {"run_type", "iteration"}, {"real_time", p50},
          {"p50_ns", p50}, {"p50_ns_lo", p50 - 1}, {"p50_ns_hi", p50 + 1},    {"samples", samples}};
}

Json reps(const std::string& name, const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(rep(name, v));
  return out;
}

}  // namespace

TEST(FigureIntervals, OneRepetitionKeepsItsSamplingInterval) {
  Json b = reps("x", {100});
  annotate_results(b);
  EXPECT_EQ(b[0]["p50_ns_lo"], 99);
  EXPECT_EQ(b[0]["p50_ns_hi"], 101);
  EXPECT_FALSE(b[0].contains("real_time_lo"));  // one time, no sampling interval: none claimed
}

TEST(FigureIntervals, FewRepetitionsSpanTheirRange) {
  Json b = reps("x", {100, 130, 90});
  annotate_results(b);
  for (const auto& e : b) {
    EXPECT_EQ(e["p50_ns_lo"], 89);
    EXPECT_EQ(e["p50_ns_hi"], 131);
    EXPECT_EQ(e["real_time_lo"], 90);
    EXPECT_EQ(e["real_time_hi"], 130);
  }
}

TEST(FigureIntervals, ManyRepetitionsGiveTheMediansOrderStatistics) {
  // n = 10: x(2) and x(9) hold the median with 97.9 % confidence (x(3), x(8): 89 %).
  Json b = reps("x", {10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
  annotate_results(b);
  EXPECT_EQ(b[0]["real_time_lo"], 2);
  EXPECT_EQ(b[0]["real_time_hi"], 9);
  const std::vector<const Json*> all = {&b[0], &b[1], &b[2], &b[3], &b[4],
                                        &b[5], &b[6], &b[7], &b[8], &b[9]};
  const auto f = intervals_of(all).at("real_time");
  EXPECT_DOUBLE_EQ(f.median, 5.5);
  EXPECT_EQ(f.repetitions, 10);
  EXPECT_DOUBLE_EQ(f.relative_half_width(), (9 - 2) / (2 * 5.5));
}

TEST(FigureIntervals, APercentileOneRepetitionLacksIsAbsentFromAllWithItsReason) {
  Json b = reps("x", {100, 110});
  b[1].erase("p50_ns");
  b[1]["samples"] = 12;
  annotate_results(b);
  for (const auto& e : b) {
    EXPECT_FALSE(e.contains("p50_ns"));
    EXPECT_FALSE(e.contains("p50_ns_lo"));
  }
  EXPECT_EQ(b[1]["absent"]["p50_ns"], "p50 needs 20 samples; this run has 12");
  EXPECT_EQ(b[1]["absent"]["p999_ns"], "p99.9 needs 10,000 samples; this run has 12");
}

TEST(FigureIntervals, FailedRepetitionsAndOtherBenchmarksStayApart) {
  Json b = reps("x", {100, 200});
  b.push_back(rep("y", 5));
  Json failed = rep("x", 1'000'000);
  failed["error_occurred"] = true;
  b.push_back(failed);
  annotate_results(b);
  EXPECT_EQ(b[0]["real_time_hi"], 200);
  EXPECT_EQ(b[2]["p50_ns_hi"], 6);
  EXPECT_FALSE(b[3].contains("real_time_lo"));
}
