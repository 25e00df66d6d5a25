#include "bench/instruction_count.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define IPCBENCH_HAVE_CALLGRIND 1
#endif

namespace ipcbench {

std::function<void(benchmark::State&)> with_instruction_count(
    const std::string& name, std::function<void(benchmark::State&)> fn) {
#ifdef IPCBENCH_HAVE_CALLGRIND
  if (RUNNING_ON_VALGRIND) {
    return [name, fn = std::move(fn)](benchmark::State& state) {
      CALLGRIND_ZERO_STATS;
      fn(state);
      const std::string label = name + "|" + std::to_string(state.iterations());
      CALLGRIND_DUMP_STATS_AT(label.c_str());
    };
  }
#endif
  (void)name;
  return fn;
}

}  // namespace ipcbench
