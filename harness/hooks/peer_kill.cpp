#include "hooks/peer_kill.hpp"

#include <signal.h>

#include <chrono>
#include <thread>

namespace ipcbench {
namespace {

constexpr std::chrono::milliseconds kDelay{5};  // well inside even the quick profile's 20 ms

}  // namespace

InjectedPeerKill::InjectedPeerKill() {
  std::thread([] {
    std::this_thread::sleep_for(kDelay);
    raise(SIGKILL);
  }).detach();
}

InjectedPeerKill::~InjectedPeerKill() { raise(SIGKILL); }

}  // namespace ipcbench
