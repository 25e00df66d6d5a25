// A histogram in HdrHistogram's percentile text format (.hgrm: Value, Percentile, TotalCount,
// 1/(1-Percentile), values in µs), which HdrHistogram's plotter and tools read.
#pragma once

#include <string>

#include "measure/histogram.hpp"

namespace ipcbench {

std::string hgrm_text(const Histogram& h);

// Writes hgrm_text to path (through a temporary file renamed into place); throws on failure.
void write_hgrm(const std::string& path, const Histogram& h);

}  // namespace ipcbench
