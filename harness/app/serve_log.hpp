// The server's log on stderr, where one kind of line repeated by a flood of requests is written
// once per interval with the count of those left out, so no client can fill a disk with it.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace ipcbench {

class ServeLog {
 public:
  static constexpr std::chrono::seconds kInterval{10};

  void line(const std::string& text);
  // Lines of one `kind` at most once per interval; the next one says how many were left out.
  void limited(const std::string& kind, const std::string& text);

 private:
  struct Kind {
    std::chrono::steady_clock::time_point last{};
    long left_out = 0;
  };
  std::map<std::string, Kind> kinds_;
};

}  // namespace ipcbench
