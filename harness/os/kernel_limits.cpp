#include "os/kernel_limits.hpp"

#include <algorithm>
#include <fstream>

namespace ipcbench {

std::optional<std::size_t> read_kernel_limit(const std::string& path) {
  std::ifstream in(path);
  std::size_t value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

std::string sysctl_command(const std::string& path, std::size_t value) {
  std::string key = path.substr(path.rfind("/proc/sys/", 0) == 0 ? 10 : 0);
  std::replace(key.begin(), key.end(), '/', '.');
  return "sysctl -w " + key + "=" + std::to_string(value);
}

}  // namespace ipcbench
