// Test-only (--inject-slowdown): an Endpoint that adds a known delay to every round trip, wrapped
// around the latency driver's own end only when the hook asks for it, so a real run's timed loop
// holds no trace of it.
#pragma once

#include <cstdint>
#include <memory>

#include "channel/mechanism.hpp"

namespace ipcbench {

// Times the first `calibration` round trips (send to reply, the driver's warm-up), then after
// each reply spins for `fraction` of their median: the mean would overshoot, as the first
// round trips are cold.
std::unique_ptr<Endpoint> slowed_endpoint(Endpoint& inner, double fraction,
                                          std::uint64_t calibration);

}  // namespace ipcbench
