// Whole-buffer reads and writes on a file descriptor: short reads and writes are looped over,
// EOF and EPIPE become ChannelClosed, and EINTR gives the stall watchdog its chance.
#pragma once

#include <sched.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "os/stall_watchdog.hpp"

namespace ipcbench {

// Reads exactly buf.size() bytes, looping over short reads; EINTR consults the stall watchdog.
void read_exact(int fd, std::span<std::byte> buf);
// The same, but an EOF before the first byte returns false: the writer finished cleanly.
bool read_exact_or_eof(int fd, std::span<std::byte> buf);
// Writes all of buf, looping over short writes (a full pipe or socket buffer).
void write_all(int fd, std::span<const std::byte> buf);

// Reads exactly buf.size() bytes without ever sleeping in the kernel: non-blocking reads in a
// spin loop (busy polling), which polls the stall watchdog now and then. A socket is read with
// MSG_DONTWAIT; any other fd must be O_NONBLOCK already.
void read_exact_polling(int fd, std::span<std::byte> buf, bool socket);

// Calls attempt() until it returns true: the spin of a receiver that never sleeps. Every 16 tries
// it yields, so a peer pinned to the same CPU still runs (as shm_ring.spin does), and every 1024
// it polls the stall watchdog.
template <typename Attempt>
void spin_until(Attempt attempt);

template <typename Attempt>
void spin_until(Attempt attempt) {
  for (std::uint32_t i = 1; !attempt(); ++i) {
    if (i % 16 == 0) sched_yield();
    if (i % 1024 == 0 && StallWatchdog::should_stop()) check_stall();
  }
}

}  // namespace ipcbench
