// The tests' own view of the OS objects a run leaves on the system, found independently of the
// registry the code under test keeps: named ones (ipcbench-<pid>-... in /dev/shm, /dev/mqueue and
// /tmp), System V objects (/proc/sysvipc) and this process's open descriptors (/proc/self/fd).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
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

// "id perms" of every SysV object on the system, from /proc/sysvipc (msg, sem and shm alike: id
// in column 1, perms in column 2), keyed "<table>:<id>".
inline std::map<std::string, std::string> sysv_objects() {
  std::map<std::string, std::string> out;
  for (const char* table : {"/proc/sysvipc/msg", "/proc/sysvipc/sem", "/proc/sysvipc/shm"}) {
    std::ifstream in(table);
    std::string line, key, id, perms;
    std::getline(in, line);
    while (in >> key >> id >> perms) {
      out[std::string(table) + ":" + id] = perms;
      std::getline(in, line);
    }
  }
  return out;
}

// "<fd> -> <target>" for each descriptor this process holds (the listing's own left out).
inline std::set<std::string> open_descriptors() {
  std::set<std::string> out;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (ec || target.rfind("/proc/", 0) == 0) continue;
    out.insert(fd.path().filename().string() + " -> " + target);
  }
  return out;
}

// Everything above at one moment. SysV objects are counted system-wide (they carry no name, and
// semaphore sets no pid): the suite runs one test at a time (ctest -j 1).
struct SystemObjects {
  std::set<std::string> items;

  static SystemObjects now(pid_t pid) {
    SystemObjects s;
    for (const auto& path : named_objects_of(pid)) s.items.insert(path.string());
    for (const auto& [id, perms] : sysv_objects()) s.items.insert(id);
    for (const auto& fd : open_descriptors()) s.items.insert("fd " + fd);
    return s;
  }
  // What is here now and was not `before`.
  std::vector<std::string> added_since(const SystemObjects& before) const {
    std::vector<std::string> out;
    for (const auto& item : items) {
      if (!before.items.count(item)) out.push_back(item);
    }
    return out;
  }
};
