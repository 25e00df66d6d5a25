// Latency under load, open loop (load/*): the peer sends on a fixed schedule t_i = t_0 + i/R and
// stamps each message with its scheduled and its actual send time; we receive, verify and record
// one-way latency from the scheduled time (corrected: a stalled sender cannot hide the messages it
// owed, as in wrk2 and HdrHistogram) and from the actual send time (uncorrected).
#pragma once

#include <string>

#include "ipc/load_rate.hpp"
#include "ipc/open_loop.hpp"
#include "ipc/session.hpp"

namespace ipcbench {

struct LoadParams {
  IpcParams ipc;
  LoadRate rate;
  ScheduleLength length;  // a sender that falls behind stops at 3x the longest
  std::string hgrm_path;  // where to write the corrected distribution (.hgrm), or empty
};

// One iteration is the whole schedule. real_time is the mean corrected latency; the counters
// (measure/counters.hpp) hold the rates, the percentiles and both ends' CPU per message.
void run_load(benchmark::State& state, const LoadParams& params);

}  // namespace ipcbench
