// floor/memcpy: one CPU copying a message of each size from one warm buffer to another. Moving
// bytes between processes needs at least this copy, so it is the ceiling for IPC throughput.
#include <cstring>
#include <string>
#include <vector>

#include "bench/families.hpp"

namespace ipcbench {
namespace {

void copy_bandwidth(benchmark::State& state, std::size_t size) {
  std::vector<std::byte> src(size, std::byte{0x5a}), dst(size);
  for (auto _ : state) {
    benchmark::DoNotOptimize(src.data());
    std::memcpy(dst.data(), src.data(), size);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void register_memcpy(const RunSettings& run, BenchmarkSet& set) {
  for (std::size_t size : plan_of(run.profile, "ipc").sizes) {
    set.add(
        "floor/memcpy/size:" + std::to_string(size),
        [size](benchmark::State& st) { copy_bandwidth(st, size); }, Timing::real);
  }
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("floor/memcpy", &register_memcpy);

}  // namespace ipcbench
