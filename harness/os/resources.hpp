// Registry of the named OS objects a run creates (POSIX shm and queues, files, sockets, FIFOs,
// directories): removed when released, at exit, and on SIGINT/SIGTERM; stale ones left by a
// killed run (our prefix, an owner pid that no longer lives) are swept at start-up.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace ipcbench {

// SysV objects have no name: theirs is the decimal id that msgget/semget returned.
enum class ResourceKind { posix_shm, posix_mq, file, directory, sysv_msg, sysv_sem };

inline constexpr std::string_view kResourcePrefix = "ipcbench-";

// "ipcbench-<pid>-<random>-<tag>": the pid lets a later run tell stale objects from live ones;
// the random part keeps names unpredictable.
std::string unique_resource_name(std::string_view tag);

// A registered object owned by one scope: removed (and forgotten) when the owner goes away.
// A forked peer ends with _exit and never runs this, so only the creating process removes it.
class OwnedResource {
 public:
  OwnedResource() = default;
  OwnedResource(ResourceKind kind, std::string name);
  OwnedResource(OwnedResource&& other) noexcept;
  OwnedResource& operator=(OwnedResource&& other) noexcept;
  ~OwnedResource();
  const std::string& name() const { return name_; }

 private:
  int handle_ = -1;
  std::string name_;
};

// Creates a private (0700) directory "<tmp>/ipcbench-<pid>-<random>" for sockets and FIFOs,
// so nothing is created at a predictable path where a planted symlink could redirect it.
OwnedResource make_private_dir();

// Registers an object; returns a handle for release(). Safe to call from any thread.
int register_resource(ResourceKind kind, std::string_view name);
// Removes the object now and forgets it.
void release_resource(int handle);
// Forgets the object without removing it (it was renamed or handed over).
void forget_resource(int handle);
// Removes every registered object (async-signal-safe: used by the signal handler).
void remove_all_resources() noexcept;
std::size_t registered_resource_count();

// Installs SIGINT/SIGTERM handlers that remove every object, then die of the same signal (exit
// status 130/143). Only the installing process cleans up: forked peers just exit.
void install_cleanup_handlers();

struct SweepResult {
  std::size_t removed = 0;
  std::size_t failed = 0;
};
// Removes objects named kResourcePrefix<pid>-... in /dev/shm, /dev/mqueue and the temp
// directory whose pid is dead and whose owner is us. Objects of live runs are left alone.
SweepResult sweep_stale_resources();

}  // namespace ipcbench
