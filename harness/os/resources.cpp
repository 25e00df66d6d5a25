#include "os/resources.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <stdexcept>
#include <utility>

#include "base/system_error.hpp"

namespace ipcbench {
namespace {

// Fixed storage, no allocation: the signal handler walks it.
constexpr std::size_t kMaxResources = 256;
constexpr std::size_t kMaxResourceName = 240;

struct Slot {
  std::atomic<bool> used{false};
  ResourceKind kind = ResourceKind::file;
  char name[kMaxResourceName] = {};
};

std::array<Slot, kMaxResources> g_slots;
std::atomic<pid_t> g_owner{0};
std::mutex g_register_mutex;

// No strtol: this runs in a signal handler.
int parse_id(const char* s) noexcept {
  int v = 0;
  for (; *s >= '0' && *s <= '9'; ++s) v = v * 10 + (*s - '0');
  return v;
}

// A private directory that a worker process may still be filling (io/file's process workers create
// their files in it, and die only after us): empty it and try again, a few times. Only
// async-signal-safe calls: this runs in the signal handler too.
void remove_directory(const char* name) noexcept {
  constexpr int kAttempts = 20;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (rmdir(name) == 0 || (errno != ENOTEMPTY && errno != EEXIST)) return;
    const int dir = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return;
    alignas(dirent64) char buf[4096];
    for (ssize_t n; (n = getdents64(dir, buf, sizeof buf)) > 0;) {
      for (ssize_t at = 0; at < n;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buf + at);
        const char* file = entry->d_name;
        if (!(file[0] == '.' && (file[1] == '\0' || (file[1] == '.' && file[2] == '\0')))) {
          unlinkat(dir, file, 0);
        }
        at += entry->d_reclen;
      }
    }
    close(dir);
    const timespec pause{0, 1'000'000};  // a worker between its open and ours
    nanosleep(&pause, nullptr);
  }
}

void remove_object(ResourceKind kind, const char* name) noexcept {
  switch (kind) {
    case ResourceKind::posix_shm:
      shm_unlink(name);
      break;
    case ResourceKind::posix_mq:
      mq_unlink(name);
      break;
    case ResourceKind::file:
      unlink(name);
      break;
    case ResourceKind::directory:
      remove_directory(name);
      break;
    case ResourceKind::sysv_msg:
      msgctl(parse_id(name), IPC_RMID, nullptr);
      break;
    case ResourceKind::sysv_sem:
      semctl(parse_id(name), 0, IPC_RMID);
      break;
  }
}

void on_fatal_signal(int sig) {
  if (getpid() == g_owner.load()) remove_all_resources();
  signal(sig, SIG_DFL);
  raise(sig);
}

std::string temp_dir() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

// "ipcbench-<pid>-..." -> pid, or 0 when the name is not ours.
pid_t owner_pid(std::string_view name) {
  if (!name.starts_with(kResourcePrefix)) return 0;
  name.remove_prefix(kResourcePrefix.size());
  pid_t pid = 0;
  std::size_t i = 0;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) pid = pid * 10 + (name[i] - '0');
  return (i > 0 && i < name.size() && name[i] == '-') ? pid : 0;
}

bool pid_alive(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

void sweep_dir(const std::string& dir, bool recursive, SweepResult& result) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    const pid_t pid = owner_pid(e->d_name);
    if (pid == 0 || pid_alive(pid)) continue;
    const std::string path = dir + "/" + e->d_name;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || st.st_uid != geteuid()) continue;
    std::error_code ec;
    if (recursive && S_ISDIR(st.st_mode)) {
      std::filesystem::remove_all(path, ec);  // does not follow symlinks
    } else {
      std::filesystem::remove(path, ec);
    }
    ec ? ++result.failed : ++result.removed;
  }
  closedir(d);
}

}  // namespace

std::string unique_resource_name(std::string_view tag) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d-%012llx", static_cast<int>(getpid()),
                static_cast<unsigned long long>(rng() & 0xffffffffffffULL));
  return std::string(kResourcePrefix) + buf + "-" + std::string(tag);
}

OwnedResource::OwnedResource(ResourceKind kind, std::string name)
    : handle_(register_resource(kind, name)), name_(std::move(name)) {}

OwnedResource::OwnedResource(OwnedResource&& other) noexcept
    : handle_(std::exchange(other.handle_, -1)), name_(std::move(other.name_)) {}

OwnedResource& OwnedResource::operator=(OwnedResource&& other) noexcept {
  if (this != &other) {
    if (handle_ >= 0) release_resource(handle_);
    handle_ = std::exchange(other.handle_, -1);
    name_ = std::move(other.name_);
  }
  return *this;
}

OwnedResource::~OwnedResource() {
  if (handle_ >= 0) release_resource(handle_);
}

OwnedResource make_private_dir() {
  std::string path = temp_dir() + "/" + unique_resource_name("XXXXXX");
  // No interrupt between creating the directory and registering it: the cleanup handler would
  // not know it.
  sigset_t cleanup_signals, previous;
  sigemptyset(&cleanup_signals);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&cleanup_signals, sig);
  pthread_sigmask(SIG_BLOCK, &cleanup_signals, &previous);
  struct Restore {
    const sigset_t& mask;
    ~Restore() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
  } restore{previous};
  check_syscall(mkdtemp(path.data()) == nullptr ? -1 : 0, "mkdtemp");
  return OwnedResource(ResourceKind::directory, path);
}

int register_resource(ResourceKind kind, std::string_view name) {
  if (name.size() >= kMaxResourceName)
    throw std::length_error("resource name too long: " + std::string(name));
  std::lock_guard lock(g_register_mutex);
  for (std::size_t i = 0; i < g_slots.size(); ++i) {
    auto& slot = g_slots[i];
    if (slot.used.load()) continue;
    slot.kind = kind;
    std::memcpy(slot.name, name.data(), name.size());
    slot.name[name.size()] = '\0';
    slot.used.store(true);  // published last: the signal handler never sees a half-written name
    return static_cast<int>(i);
  }
  throw std::runtime_error("too many IPC objects registered at once (limit " +
                           std::to_string(kMaxResources) + ")");
}

void release_resource(int handle) {
  auto& slot = g_slots.at(static_cast<std::size_t>(handle));
  if (!slot.used.load()) return;
  remove_object(slot.kind, slot.name);
  forget_resource(handle);
}

void forget_resource(int handle) { g_slots.at(static_cast<std::size_t>(handle)).used.store(false); }

void remove_all_resources() noexcept {
  // Directories last: the sockets and FIFOs inside a private directory must go first.
  for (bool directories : {false, true}) {
    for (auto& slot : g_slots) {
      if ((slot.kind == ResourceKind::directory) != directories) continue;
      if (slot.used.exchange(false)) remove_object(slot.kind, slot.name);
    }
  }
}

std::size_t registered_resource_count() {
  std::size_t n = 0;
  for (const auto& s : g_slots) n += s.used.load() ? 1 : 0;
  return n;
}

void install_cleanup_handlers() {
  g_owner = getpid();
  struct sigaction sa {};
  sa.sa_handler = &on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    check_syscall(sigaction(sig, &sa, nullptr), "sigaction");
  std::atexit([] {
    if (getpid() == g_owner.load()) remove_all_resources();
  });
}

SweepResult sweep_stale_resources() {
  SweepResult result;
  sweep_dir("/dev/shm", false, result);
  sweep_dir("/dev/mqueue", false, result);
  sweep_dir(temp_dir(), true, result);
  return result;
}

}  // namespace ipcbench
