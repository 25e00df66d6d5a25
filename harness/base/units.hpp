// Sizes as people read them in messages and names ("1 MiB", "64 KiB", "100 B"), written once so
// every skip, error and label says the same thing.
#pragma once

#include <cstddef>
#include <string>

namespace ipcbench {

inline constexpr std::size_t KiB = 1024, MiB = 1024 * KiB;

std::string format_size(std::size_t bytes);

}  // namespace ipcbench
