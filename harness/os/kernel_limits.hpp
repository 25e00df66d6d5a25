// Kernel limits that decide whether a mechanism can carry a message (read from /proc/sys, never
// assumed), and the one-line fix a skip message gives for each.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace ipcbench {

// The integer in a /proc/sys file, or nullopt when it cannot be read.
std::optional<std::size_t> read_kernel_limit(const std::string& path);

// "sysctl -w fs.mqueue.msgsize_max=16384" for /proc/sys/fs/mqueue/msgsize_max.
std::string sysctl_command(const std::string& path, std::size_t value);

}  // namespace ipcbench
