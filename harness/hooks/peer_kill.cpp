#include "hooks/peer_kill.hpp"

#include <signal.h>

#include <chrono>
#include <thread>

#include "os/task_stats.hpp"

namespace ipcbench {
namespace {

constexpr std::chrono::milliseconds kDelay{5};  // well inside even the quick profile's 20 ms

}  // namespace

InjectedPeerKill::InjectedPeerKill() {
  std::thread([] {
    name_harness_thread("kill");  // the test's, not a helper the peer's CPU should count
    std::this_thread::sleep_for(kDelay);
    raise(SIGKILL);
  }).detach();
}

InjectedPeerKill::~InjectedPeerKill() { raise(SIGKILL); }

}  // namespace ipcbench
