#include "injected_peer_kill.hpp"

#include <signal.h>

#include <chrono>
#include <optional>
#include <regex>
#include <thread>

#include "usage_error.hpp"

namespace ipcbench {
namespace {

std::optional<std::regex>& names() {
  static std::optional<std::regex> value;
  return value;
}

bool current = false;
constexpr std::chrono::milliseconds kDelay{5};  // well inside even the quick profile's 20 ms

}  // namespace

void set_injected_peer_kill(const std::string& regex) {
  try {
    names().emplace(regex, std::regex::extended);
  } catch (const std::regex_error& e) {
    throw UsageError("--inject-peer-kill='" + regex +
                     "' is not a valid regular expression: " + e.what());
  }
}

bool injected_peer_kill_for(const std::string& name) {
  return names() && std::regex_search(name, *names());
}

bool current_injected_peer_kill() { return current; }
void set_current_injected_peer_kill(bool on) { current = on; }

InjectedPeerKill::InjectedPeerKill() {
  std::thread([] {
    std::this_thread::sleep_for(kDelay);
    raise(SIGKILL);
  }).detach();
}

InjectedPeerKill::~InjectedPeerKill() { raise(SIGKILL); }

}  // namespace ipcbench
