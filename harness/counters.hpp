// The names of every counter ipcbench writes into the JSON, in one place: plots, reports and
// compare read these exact keys, and tests pin them.
#pragma once

namespace ipcbench::counters {

// Latency, from the per-round-trip histogram (nanoseconds, round trip).
inline constexpr const char* kP50 = "p50_ns";
inline constexpr const char* kP90 = "p90_ns";
inline constexpr const char* kP99 = "p99_ns";
inline constexpr const char* kP999 = "p999_ns";
inline constexpr const char* kMax = "max_ns";

// CPU cost (user + system) per message moved, summed over both ends and per end. A latency
// iteration moves two messages (there and back); a throughput iteration moves one.
inline constexpr const char* kCpuPerMsg = "cpu_ns_per_msg";
inline constexpr const char* kCpuPerMsgMain = "cpu_ns_per_msg_main";
inline constexpr const char* kCpuPerMsgPeer = "cpu_ns_per_msg_peer";

// Throughput rates are Google Benchmark's own: bytes_per_second and items_per_second.

}  // namespace ipcbench::counters
