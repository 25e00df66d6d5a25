// Under valgrind's callgrind (scripts/callgrind), each benchmark call gets its own instruction
// count: statistics are zeroed before the call and dumped after it, labelled "<name>|<iterations>".
// Outside valgrind the benchmark function is returned unchanged and this costs nothing.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <string>

namespace ipcbench {

std::function<void(benchmark::State&)> with_instruction_count(
    const std::string& name, std::function<void(benchmark::State&)> fn);

}  // namespace ipcbench
