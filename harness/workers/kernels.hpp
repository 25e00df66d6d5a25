// The work the workers families time: the course's CPU-bound counting loop, a prime count, and
// its IO-bound task (write many short lines to a file, read them back). Each returns a result
// its caller checks, so the compiler cannot drop the work and a broken run cannot pass.
#pragma once

#include <cstdint>
#include <string>

namespace ipcbench::kernels {

// The course's loop: `while c < loops: c += 1; x += 1; y += 1`. Returns x + y - 2 == 2 * loops.
std::uint64_t count_loop(std::uint64_t loops);

// Primes below limit, by trial division (CPU-bound, no memory traffic).
std::uint64_t count_primes(std::uint64_t limit);
// The same count by a sieve: the expected value count_primes is checked against.
std::uint64_t primes_below(std::uint64_t limit);

// Writes `lines` lines of "hello world\n" to path (fsync'd before closing if asked), reads them
// back one by one, checks each, deletes the file. Returns the number of good lines read back.
std::uint64_t write_read_lines(const std::string& path, std::uint64_t lines, bool fsync_file);

}  // namespace ipcbench::kernels
