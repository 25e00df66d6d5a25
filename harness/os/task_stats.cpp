#include "os/task_stats.hpp"

#include <dirent.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "base/clock.hpp"
#include "base/system_error.hpp"

namespace ipcbench {
namespace {

std::int64_t timeval_ns(const timeval& tv) {
  return static_cast<std::int64_t>(tv.tv_sec) * 1'000'000'000 + tv.tv_usec * 1'000;
}

std::string task_file(pid_t tid, const char* name) {
  const std::string path = "/proc/self/task/" + std::to_string(tid) + "/" + name;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) {
    throw std::runtime_error("cannot read " + path + ": the task has ended");
  }
  return text.str();
}

// A "Name:\tvalue" line of /proc/.../status.
std::int64_t status_field(const std::string& status, const std::string& name) {
  const auto at = status.find("\n" + name + ":");
  if (at == std::string::npos) throw std::runtime_error("no " + name + " in a task's status");
  return std::stoll(status.substr(at + name.size() + 2));
}

}  // namespace

TaskStats& TaskStats::operator-=(const TaskStats& e) {
  cpu_ns -= e.cpu_ns;
  user_ns -= e.user_ns;
  system_ns -= e.system_ns;
  voluntary_switches -= e.voluntary_switches;
  involuntary_switches -= e.involuntary_switches;
  page_faults -= e.page_faults;
  return *this;
}

TaskStats& TaskStats::operator+=(const TaskStats& o) {
  cpu_ns += o.cpu_ns;
  user_ns += o.user_ns;
  system_ns += o.system_ns;
  voluntary_switches += o.voluntary_switches;
  involuntary_switches += o.involuntary_switches;
  page_faults += o.page_faults;
  return *this;
}

namespace {

// getrusage(who), its CPU the sum of its user and system time.
TaskStats rusage_stats(int who) {
  rusage ru{};
  check_syscall(getrusage(who, &ru), "getrusage");
  TaskStats s;
  s.user_ns = timeval_ns(ru.ru_utime);
  s.system_ns = timeval_ns(ru.ru_stime);
  s.cpu_ns = s.user_ns + s.system_ns;
  s.voluntary_switches = ru.ru_nvcsw;
  s.involuntary_switches = ru.ru_nivcsw;
  s.page_faults = ru.ru_minflt + ru.ru_majflt;
  return s;
}

}  // namespace

TaskStats calling_thread_stats() {
  TaskStats s = rusage_stats(RUSAGE_THREAD);
  s.cpu_ns = thread_cpu_ns();  // exact, where getrusage's has microseconds
  return s;
}

TaskStats process_and_children_stats() {
  TaskStats total = rusage_stats(RUSAGE_SELF);
  total += rusage_stats(RUSAGE_CHILDREN);
  return total;
}

TaskStats task_stats(pid_t tid) {
  TaskStats s;
  s.cpu_ns = std::stoll(task_file(tid, "schedstat"));  // its first field: ns on the CPU
  // stat: "pid (comm) state ..."; comm may hold spaces, so count fields after its ')'.
  const std::string stat = task_file(tid, "stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::vector<std::string> f((std::istream_iterator<std::string>(fields)),
                             std::istream_iterator<std::string>());
  // Fields from 3 (state) on: minflt is the 10th field, majflt the 12th, utime and stime the
  // 14th and 15th (proc(5)); here index = field - 3.
  if (f.size() < 13) throw std::runtime_error("a task's stat is shorter than proc(5) says");
  const double tick_ns = 1e9 / static_cast<double>(sysconf(_SC_CLK_TCK));
  s.page_faults = std::stoll(f[7]) + std::stoll(f[9]);
  s.user_ns = static_cast<std::int64_t>(std::stod(f[11]) * tick_ns);
  s.system_ns = static_cast<std::int64_t>(std::stod(f[12]) * tick_ns);
  const std::string status = "\n" + task_file(tid, "status");
  s.voluntary_switches = status_field(status, "voluntary_ctxt_switches");
  s.involuntary_switches = status_field(status, "nonvoluntary_ctxt_switches");
  return s;
}

std::vector<pid_t> helper_tasks() {
  std::vector<pid_t> out;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) throw_syscall_error(errno, "opendir /proc/self/task");
  const pid_t pid = getpid();
  while (const dirent* d = readdir(dir)) {
    if (d->d_name[0] == '.') continue;
    const auto tid = static_cast<pid_t>(std::stol(d->d_name));
    if (tid == pid) continue;
    std::ifstream comm("/proc/self/task/" + std::string(d->d_name) + "/comm");
    std::string name;
    std::getline(comm, name);
    if (comm && !name.starts_with(kHarnessThreadPrefix)) out.push_back(tid);
  }
  closedir(dir);
  return out;
}

void name_harness_thread(const std::string& role) {
  const std::string name = (kHarnessThreadPrefix + role).substr(0, 15);
  check_errno_result(pthread_setname_np(pthread_self(), name.c_str()), "pthread_setname_np");
}

}  // namespace ipcbench
