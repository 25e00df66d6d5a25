#include "app/context.hpp"

#include <sys/utsname.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <cstring>
#include <fstream>
#include <sstream>

#include "build_info.hpp"
#include "channel/mechanism.hpp"
#include "os/affinity.hpp"

namespace ipcbench {
namespace {

// First line of a /proc or /sys file, or "unavailable" (a VM often hides cpufreq, for example).
std::string read_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "unavailable";
  return line;
}

std::string cpuinfo_field(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unavailable";
}

}  // namespace

// A signature is 12 bytes, padded with spaces, and some repeat their name to fill them
// ("bhyve bhyve ", "KVMKVMKVM"): shown once, trimmed. A unit counts as repeated only when the
// signature holds it at least twice (its second copy may lose its padding to the trim).
std::string readable_signature(std::string sig) {
  sig.erase(sig.find_last_not_of(' ') + 1);
  for (std::size_t n = 1; n < sig.size(); ++n) {
    const std::string unit = sig.substr(0, n);
    const std::string word = unit.substr(0, unit.find_last_not_of(' ') + 1);
    if (word.empty() || n + word.size() > sig.size()) continue;
    std::string repeated;
    while (repeated.size() < sig.size()) repeated += unit;
    if (repeated.substr(0, sig.size()) == sig) return word;
  }
  return sig;
}

namespace {

// The hypervisor's own signature (CPUID leaf 0x40000000, e.g. "KVMKVMKVM"), when there is one.
std::string virtualization() {
  const std::string flags = cpuinfo_field("flags");
  if (flags.find(" hypervisor") == std::string::npos) return "none detected";
#if defined(__x86_64__) || defined(__i386__)
  unsigned regs[4] = {};
  __cpuid(0x40000000, regs[0], regs[1], regs[2], regs[3]);
  char vendor[13] = {};
  std::memcpy(vendor, &regs[1], 4);
  std::memcpy(vendor + 4, &regs[2], 4);
  std::memcpy(vendor + 8, &regs[3], 4);
  // Only printable characters: an emulator (valgrind) answers with control bytes, which would
  // make the JSON invalid.
  std::string printable;
  for (const char c : std::string(vendor)) printable += (c >= 0x20 && c < 0x7f) ? c : '?';
  return "hypervisor: " + readable_signature(printable);
#else
  return "hypervisor";
#endif
}

std::string cpu_list() {
  std::ostringstream out;
  for (int c : allowed_cpus()) out << (out.tellp() > 0 ? "," : "") << c;
  return out.str();
}

}  // namespace

std::string git_sha() { return build_info::kGitSha; }
std::string git_short_sha() {
  const std::string sha = git_sha();
  return sha == "unknown" ? sha : sha.substr(0, 7);
}

std::map<std::string, std::string> collect_context(const RunSettings& run) {
  utsname u{};
  uname(&u);
  return {
      {"ipcbench_profile", run.profile.name},
      {"ipcbench_git_sha", git_sha()},
      {"ipcbench_git_dirty", build_info::kGitDirty ? "true" : "false"},
      {"cpu_model", cpuinfo_field("model name")},
      {"cpus_allowed", cpu_list()},
      {"kernel", std::string(u.sysname) + " " + u.release + " " + u.version},
      {"machine", u.machine},
      {"virtualization", virtualization()},
      {"cpuidle_driver", read_line("/sys/devices/system/cpu/cpuidle/current_driver")},
      {"clocksource",
       read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource")},
      {"cpufreq_governor", read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")},
      {"compiler", build_info::kCompiler},
      {"compiler_flags", build_info::kCompilerFlags},
      {"pipe_max_size", read_line("/proc/sys/fs/pipe-max-size")},
      {"mq_msg_max", read_line("/proc/sys/fs/mqueue/msg_max")},
      {"mq_msgsize_max", read_line("/proc/sys/fs/mqueue/msgsize_max")},
      {"mq_queues_max", read_line("/proc/sys/fs/mqueue/queues_max")},
      {"sysv_msgmax", read_line("/proc/sys/kernel/msgmax")},
      {"sysv_msgmnb", read_line("/proc/sys/kernel/msgmnb")},
      {"sysv_shmmax", read_line("/proc/sys/kernel/shmmax")},
      {"peer_timeout_ms", std::to_string(run.peer_timeout.count())},
  };
}

nlohmann::ordered_json mechanism_facts() {
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (const auto& t : all_mechanisms()) {
    const std::string library = t.facts.library;
    const std::string settings = t.facts.settings;
    const std::string counterpart = t.facts.counterpart;
    all[t.name] = {
        {"description", t.description},
        {"data_path", to_string(t.facts.data_path)},
        {"waits", to_string(t.facts.waits)},
        {"library", library.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(library)},
        {"settings",
         settings.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(settings)},
        {"zero_copy", t.facts.zero_copy},
        {"counterpart",
         counterpart.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(counterpart)},
        {"max_message_size", t.caps.max_message_size},
        {"max_message_reason", t.caps.max_message_reason},
        {"fan_in_max_message_size", t.caps.fan_in_max_message_size},
        {"fan_out_max_message_size", t.caps.fan_out_max_message_size},
        {"process_peers", t.caps.process_peers},
        {"thread_peers", t.caps.thread_peers},
    };
  }
  return all;
}

nlohmann::ordered_json ring_copy_json(const RingCopyChoice& choice) {
  nlohmann::ordered_json trials = nlohmann::ordered_json::array();
  for (const auto& t : choice.trials) {
    trials.push_back({{"size", t.size},
                      {"stores", t.streaming ? "cache_bypassing" : "ordinary"},
                      {"bytes_per_second", t.bytes_per_second}});
  }
  const bool never = choice.streaming_min == SIZE_MAX;
  return {{"streaming_min",
           never ? nlohmann::ordered_json() : nlohmann::ordered_json(choice.streaming_min)},
          {"trials", trials}};
}

}  // namespace ipcbench
