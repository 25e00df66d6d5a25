// The body of a workers benchmark (spawn, pool, cpu, io, ...) runs inside this guard: a worker
// that crashed, hung or returned a wrong result becomes that benchmark's error, named, and the run
// goes on with the next benchmark instead of dying or reporting a time.
#pragma once

#include <benchmark/benchmark.h>

#include <exception>
#include <string>

#include "bench/skip.hpp"

namespace ipcbench {

template <typename Body>
void run_workload(benchmark::State& state, const std::string& name, Body body) {
  try {
    body();
  } catch (const LimitError& e) {
    skip_benchmark(state, name + ": " + e.what());
  } catch (const std::exception& e) {
    state.SkipWithError((name + ": " + e.what()).c_str());
  }
}

}  // namespace ipcbench
