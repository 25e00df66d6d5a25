#include "app/serve_log.hpp"

#include <cstdio>

namespace ipcbench {

void ServeLog::line(const std::string& text) {
  std::fprintf(stderr, "ipcbench serve: %s\n", text.c_str());
  std::fflush(stderr);
}

void ServeLog::limited(const std::string& kind, const std::string& text) {
  const auto now = std::chrono::steady_clock::now();
  Kind& k = kinds_[kind];
  if (k.last != std::chrono::steady_clock::time_point{} && now - k.last < kInterval) {
    ++k.left_out;
    return;
  }
  line(k.left_out ? text + " (and " + std::to_string(k.left_out) + " more like it since the last)"
                  : text);
  k.last = now;
  k.left_out = 0;
}

}  // namespace ipcbench
