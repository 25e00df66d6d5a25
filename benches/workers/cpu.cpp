// cpu/*: CPU-bound kernels run as n tasks sequentially, in n threads and in n processes, n up
// to twice the CPU count: wall time, speed-up and parallel efficiency. The course claims
// processes use several cores for CPU-bound work; in C++ threads should too.

#include "workers/kernels.hpp"
#include "workers/scaling.hpp"

namespace ipcbench {
namespace {

// Each task takes tens of ms: starting a process costs milliseconds on a VM (spawn/* measures it,
// docs/workers.md quotes it), and it should stay a small part of what cpu/* measures.
constexpr double kCountLoops = 100'000'000;
constexpr double kPrimeLimit = 200'000;

void register_cpu(const RunSettings& run, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  const std::uint64_t loops = scaled_count(profile, kCountLoops);
  register_scaling(run, set, "cpu/count", [loops](int) {
    return Job{[loops](int) { return kernels::count_loop(loops); },
               [loops](int) { return 2 * loops; }};
  });
  const std::uint64_t limit = scaled_count(profile, kPrimeLimit);
  const std::uint64_t primes = kernels::primes_below(limit);
  register_scaling(run, set, "cpu/primes", [limit, primes](int) {
    return Job{[limit](int) { return kernels::count_primes(limit); },
               [primes](int) { return primes; }};
  });
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("cpu", &register_cpu);

}  // namespace ipcbench
