// Whole-buffer reads and writes on a file descriptor: short reads and writes are looped over,
// EOF and EPIPE become ChannelClosed, and EINTR gives the stall watchdog its chance.
#pragma once

#include <cstddef>
#include <span>

namespace ipcbench {

// Reads exactly buf.size() bytes, looping over short reads; EINTR consults the stall watchdog.
void read_exact(int fd, std::span<std::byte> buf);
// The same, but an EOF before the first byte returns false: the writer finished cleanly.
bool read_exact_or_eof(int fd, std::span<std::byte> buf);
// Writes all of buf, looping over short writes (a full pipe or socket buffer).
void write_all(int fd, std::span<const std::byte> buf);

}  // namespace ipcbench
