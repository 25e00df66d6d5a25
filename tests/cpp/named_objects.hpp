// The tests' own view of a run's named objects: ipcbench-<pid>-... entries in /dev/shm,
// /dev/mqueue and /tmp, found independently of the registry the code under test keeps.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

inline std::vector<std::filesystem::path> named_objects_of(pid_t pid) {
  std::vector<std::filesystem::path> out;
  const std::string tag = "ipcbench-" + std::to_string(pid) + "-";
  for (const char* dir : {"/dev/shm", "/dev/mqueue", "/tmp"}) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (e.path().filename().string().rfind(tag, 0) == 0) out.push_back(e.path());
    }
  }
  return out;
}
