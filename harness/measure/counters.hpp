// The names of every counter ipcbench writes into the JSON, in one place: plots, reports and
// compare read these exact keys, and tests pin them.
#pragma once

#include <string>

namespace ipcbench::counters {

// Latency, from the per-round-trip histogram (nanoseconds, round trip).
inline constexpr const char* kP50 = "p50_ns";
inline constexpr const char* kP90 = "p90_ns";
inline constexpr const char* kP99 = "p99_ns";
inline constexpr const char* kP999 = "p999_ns";
inline constexpr const char* kMax = "max_ns";
// How many latencies the percentiles rest on: a percentile without ten samples beyond it is left
// out (measure/percentile_rule), and the results file says why ("absent").
inline constexpr const char* kSamples = "samples";
// A figure's 95 % interval: <counter>_lo and <counter>_hi (docs/usage.md says what they cover).
inline std::string lo_of(const std::string& counter) { return counter + "_lo"; }
inline std::string hi_of(const std::string& counter) { return counter + "_hi"; }
// What a pair of clock readings adds to an interval, measured at the start of the benchmark and
// taken off each timed round trip (RoundTripTimer); floor/clock reports it too.
inline constexpr const char* kClockPairNs = "clock_pair_ns";

// CPU cost (user + system) per message moved, summed over both ends and per end. A latency
// iteration moves two messages (there and back); a throughput iteration moves one.
inline constexpr const char* kCpuPerMsg = "cpu_ns_per_msg";
inline constexpr const char* kCpuPerMsgMain = "cpu_ns_per_msg_main";
inline constexpr const char* kCpuPerMsgPeer = "cpu_ns_per_msg_peer";
// A counter's share of one end: <counter>_main (the benchmark's side), <counter>_peer (the rest).
inline std::string main_of(const std::string& counter) { return counter + "_main"; }
inline std::string peer_of(const std::string& counter) { return counter + "_peer"; }
// cpu_ns_per_msg counts every thread that works for a message: each end's own, and helper threads
// such as io_uring's SQPOLL poller and ZeroMQ's I/O threads (this is their part of it). Its split
// into user and system time is sampled at the scheduler's tick (os/task_stats.hpp).
inline constexpr const char* kHelperCpuPerMsg = "helper_cpu_ns_per_msg";
inline constexpr const char* kUserPerMsg = "user_ns_per_msg";
inline constexpr const char* kSystemPerMsg = "system_ns_per_msg";
// What the kernel did per message, on both ends (and _main, _peer): sleeps (voluntary context
// switches), involuntary switches and page faults from getrusage and /proc, in every round; system
// calls (raw_syscalls:sys_enter) and CPU migrations from perf_event_open, in a counting pass of
// its own (app/counting_pass), since counting them slows what they count.
inline constexpr const char* kVoluntaryPerMsg = "voluntary_switches_per_msg";
inline constexpr const char* kInvoluntaryPerMsg = "involuntary_switches_per_msg";
inline constexpr const char* kFaultsPerMsg = "page_faults_per_msg";
inline constexpr const char* kSyscallsPerMsg = "syscalls_per_msg";
inline constexpr const char* kMigrationsPerMsg = "migrations_per_msg";

// Throughput rates are Google Benchmark's own: bytes_per_second and items_per_second.

// Latency under load (load/*): p50_ns..max_ns above are then one-way latencies from each
// message's scheduled send time (corrected for coordinated omission); these are the rest.
inline constexpr const char* kOfferedRate = "offered_rate";    // messages/s on the schedule
inline constexpr const char* kAchievedRate = "achieved_rate";  // messages/s received
inline constexpr const char* kCapacityRate = "capacity_rate";  // messages/s unpaced (calibrated)
inline constexpr const char* kRateNotAchieved = "rate_not_achieved";  // 1: below 95 % of offered
// From each message's actual send time: what a benchmark that times from the send would report.
inline constexpr const char* kUncorrectedP50 = "uncorrected_p50_ns";
inline constexpr const char* kUncorrectedP99 = "uncorrected_p99_ns";
inline constexpr const char* kUncorrectedP999 = "uncorrected_p999_ns";
inline constexpr const char* kUncorrectedMax = "uncorrected_max_ns";
// How late the sender sent, against its schedule.
inline constexpr const char* kSenderLagP99 = "sender_lag_p99_ns";
inline constexpr const char* kSenderLagMax = "sender_lag_max_ns";
inline constexpr const char* kMessages = "messages";
// load/.../search:p99: the highest rate whose p99 met a budget there and at every lower rate
// probed, as capacity_p99_within_<budget>ns (ipc/load_search).
inline constexpr const char* kSearchedCapacityPrefix = "capacity_p99_within_";

// Workers scaling (cpu/*, io/*): the same job of n tasks run sequentially in the same iterations,
// the speed-up of the parallel run over it, and that speed-up divided by n.
inline constexpr const char* kSequentialNs = "sequential_ns";
inline constexpr const char* kSpeedup = "speedup";
inline constexpr const char* kEfficiency = "efficiency";
inline constexpr const char* kWorkers = "workers";
// Per operation (one spawn, one task, one switch, one lock hand-off), in nanoseconds.
inline constexpr const char* kNsPerOp = "ns_per_op";
// What one operation cost the kernel (spawn/*: the parent's and the worker's; ctx/*: both ends'
// per pass): page faults (fork's copy-on-write), sleeps, involuntary switches, user and system
// time.
inline constexpr const char* kFaultsPerOp = "page_faults_per_op";
inline constexpr const char* kVoluntaryPerOp = "voluntary_switches_per_op";
inline constexpr const char* kInvoluntaryPerOp = "involuntary_switches_per_op";
inline constexpr const char* kUserPerOp = "user_ns_per_op";
inline constexpr const char* kSystemPerOp = "system_ns_per_op";
// Tasks per measured job (homework/*, pool/*).
inline constexpr const char* kTasks = "tasks";
// homework/io/*: the lines each IO task writes and reads back (its cost per line is per task /
// this).
inline constexpr const char* kLines = "lines";
// ctx/*: one write and one read of the token without a context switch, subtracted from ns_per_op.
inline constexpr const char* kPassNs = "pass_ns";
// spawn/*: the parent's resident set when it spawned, and the touched heap it held (heap:... only).
inline constexpr const char* kParentRss = "parent_rss_bytes";
inline constexpr const char* kHeapBytes = "heap_bytes";
// Memory added per extra worker (memory/*), from /proc/<pid>/smaps_rollup.
inline constexpr const char* kRssPerWorker = "rss_bytes_per_worker";
inline constexpr const char* kPssPerWorker = "pss_bytes_per_worker";

}  // namespace ipcbench::counters
