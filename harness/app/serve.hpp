// `ipcbench serve`: the peer agent for another host's `ipcbench --remote`. It answers control
// requests (remote/protocol.hpp, docs/remote-protocol.md) and runs the peer side of each benchmark
// in a forked child, on a data port opened for that benchmark and its client alone.
#pragma once

#include <string>
#include <vector>

#include "app/control_server.hpp"

namespace ipcbench {

struct ServeOptions {
  std::string listen;      // ADDR:PORT, numeric, never a wildcard
  std::string token_file;  // empty: no token (loopback, or --allow-anyone)
  bool allow_anyone = false;
  ServeLimits limits;
  bool help = false;
};

// Throws UsageError for anything it does not understand.
ServeOptions parse_serve_options(const std::vector<std::string>& args);
std::string serve_usage_text();

// Serves until SIGINT or SIGTERM; returns the exit code.
int serve(const ServeOptions& options);

}  // namespace ipcbench
