#include "workers/kernels.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "base/system_error.hpp"

namespace ipcbench::kernels {

std::uint64_t count_loop(std::uint64_t loops) {
  std::uint64_t c = 0, x = 1, y = 1;
  while (c < loops) {
    ++c;
    ++x;
    ++y;
    // Keeps every increment: without it the loop folds into x = y = loops + 1. An empty asm that
    // may have changed the three registers, rather than DoNotOptimize: Google Benchmark 1.7.1's
    // "+r,m" constraint let GCC 12 -O2 with sanitizers return 2002 for 1000 loops (2000 expected).
    asm volatile("" : "+r"(c), "+r"(x), "+r"(y));
  }
  return x + y - 2;
}

std::uint64_t count_primes(std::uint64_t limit) {
  std::uint64_t count = 0;
  for (std::uint64_t n = 2; n < limit; ++n) {
    bool prime = true;
    for (std::uint64_t d = 2; d * d <= n; ++d) {
      if (n % d == 0) {
        prime = false;
        break;
      }
    }
    count += prime;
  }
  return count;
}

std::uint64_t primes_below(std::uint64_t limit) {
  if (limit < 3) return 0;
  std::vector<bool> composite(limit);
  std::uint64_t count = 0;
  for (std::uint64_t n = 2; n < limit; ++n) {
    if (composite[n]) continue;
    ++count;
    for (std::uint64_t m = n * n; m < limit; m += n) composite[m] = true;
  }
  return count;
}

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

constexpr char kLine[] = "hello world\n";

File open_file(const std::string& path, const char* mode) {
  File f(std::fopen(path.c_str(), mode));
  if (!f) check_syscall(-1, ("fopen " + path).c_str());
  return f;
}

void write_lines(const std::string& path, std::uint64_t lines, bool fsync_file) {
  File f = open_file(path, "w");
  for (std::uint64_t i = 0; i < lines; ++i) {
    if (std::fputs(kLine, f.get()) < 0) check_syscall(-1, ("write " + path).c_str());
  }
  if (std::fflush(f.get()) != 0) check_syscall(-1, ("write " + path).c_str());
  if (fsync_file) check_syscall(::fsync(fileno(f.get())), ("fsync " + path).c_str());
  if (std::fclose(f.release()) != 0) check_syscall(-1, ("close " + path).c_str());
}

std::uint64_t read_lines(const std::string& path) {
  File f = open_file(path, "r");
  char buf[64];
  std::uint64_t good = 0;
  while (std::fgets(buf, sizeof buf, f.get())) good += std::strcmp(buf, kLine) == 0;
  if (std::ferror(f.get())) check_syscall(-1, ("read " + path).c_str());
  return good;
}

}  // namespace

std::uint64_t write_read_lines(const std::string& path, std::uint64_t lines, bool fsync_file) {
  write_lines(path, lines, fsync_file);
  const std::uint64_t good = read_lines(path);
  check_syscall(::unlink(path.c_str()), ("unlink " + path).c_str());
  return good;
}

}  // namespace ipcbench::kernels
