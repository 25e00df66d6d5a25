// `ipcbench serve`: the peer agent for another host's `ipcbench --remote`. It answers control
// requests (remote/protocol.hpp) on one ZeroMQ ROUTER socket and runs the peer side of each
// benchmark in a thread, on a data port opened for that benchmark alone.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "os/peer.hpp"

namespace ipcbench {

struct ServeOptions {
  std::string listen;      // ADDR:PORT, numeric, never a wildcard
  std::string token_file;  // empty: no token asked for
  std::chrono::milliseconds peer_timeout = kDefaultPeerTimeout;
  bool help = false;
};

// Throws UsageError for anything it does not understand.
ServeOptions parse_serve_options(const std::vector<std::string>& args);
std::string serve_usage_text();

// Serves until SIGINT or SIGTERM; returns the exit code.
int serve(const ServeOptions& options);

}  // namespace ipcbench
