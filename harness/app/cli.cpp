#include "app/cli.hpp"

#include <map>
#include <regex>

#include "base/usage_error.hpp"
#include "bench/family_options.hpp"
#include "bench/profiles.hpp"

namespace ipcbench {
namespace {

bool take_value(const std::string& arg, const std::string& flag, std::string& value) {
  const std::string prefix = flag + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  value = arg.substr(prefix.size());
  return true;
}

// --sizes=64,4K and the like: a comma-separated list that must not be empty or have empty items.
bool take_list(const std::string& arg, const std::string& flag, std::string& value) {
  if (!take_value(arg, flag, value)) return false;
  if (value.empty() || value.front() == ',' || value.back() == ',' ||
      value.find(",,") != std::string::npos) {
    static const std::map<std::string, std::string> examples = {{"--sizes", "64,4K"},
                                                                {"--cpus", "0,1"}};
    const auto declared = family_options().find(flag);
    const auto it = examples.find(flag);
    const std::string example = declared != family_options().end() ? declared->second.example
                                : it != examples.end()             ? it->second
                                                                   : "pipe,tcp";
    throw UsageError(flag + "='" + value + "' needs a comma-separated list, e.g. " + flag + "=" +
                     example);
  }
  return true;
}

std::chrono::milliseconds parse_timeout(const std::string& text) {
  std::size_t used = 0;
  double seconds = 0;
  try {
    seconds = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(seconds > 0) || seconds > 3600) {
    throw UsageError("--peer-timeout='" + text + "' is not a number of seconds in (0, 3600]");
  }
  return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
}

// Flags we own the meaning of; passing them straight to Google Benchmark would bypass the
// atomic result file or the progress count.
void reject_reserved(const std::string& arg) {
  for (const char* flag :
       {"--benchmark_out=", "--benchmark_out_format=", "--benchmark_list_tests"}) {
    if (arg.rfind(flag, 0) == 0) {
      throw UsageError(std::string(flag) + " is set by ipcbench; use --out=FILE or --list instead");
    }
  }
}

enum class FlagType { boolean, integer, seconds, text, format, time_unit };

// Google Benchmark 1.7.1's flags (read from the library) and the values each accepts. Checking
// them here turns a bad value into our one-line error instead of the library's two.
const std::map<std::string, FlagType>& benchmark_flags() {
  static const std::map<std::string, FlagType> flags = {
      {"--benchmark_color", FlagType::text},
      {"--benchmark_context", FlagType::text},
      {"--benchmark_counters_tabular", FlagType::boolean},
      {"--benchmark_display_aggregates_only", FlagType::boolean},
      {"--benchmark_enable_random_interleaving", FlagType::boolean},
      {"--benchmark_format", FlagType::format},
      {"--benchmark_min_time", FlagType::seconds},
      {"--benchmark_min_warmup_time", FlagType::seconds},
      {"--benchmark_perf_counters", FlagType::text},
      {"--benchmark_repetitions", FlagType::integer},
      {"--benchmark_report_aggregates_only", FlagType::boolean},
      {"--benchmark_time_unit", FlagType::time_unit},
      {"--benchmark_v", FlagType::integer},
  };
  return flags;
}

bool valid_value(FlagType type, const std::string& v) {
  static const std::regex integer("[0-9]+"), seconds("[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?");
  switch (type) {
    case FlagType::boolean:
      return v == "true" || v == "false" || v == "1" || v == "0";
    case FlagType::integer:
      return std::regex_match(v, integer) && v.size() < 9 && std::stol(v) > 0;
    case FlagType::seconds:
      return std::regex_match(v, seconds);
    case FlagType::format:
      return v == "console" || v == "json" || v == "csv";
    case FlagType::time_unit:
      return v == "ns" || v == "us" || v == "ms" || v == "s";
    case FlagType::text:
      return true;
  }
  return false;
}

void check_benchmark_flag(const std::string& arg) {
  reject_reserved(arg);
  const auto eq = arg.find('=');
  const std::string name = arg.substr(0, eq);
  const auto it = benchmark_flags().find(name);
  if (it == benchmark_flags().end()) {
    throw UsageError("unknown Google Benchmark flag '" + name + "'; see ipcbench --help");
  }
  const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
  if (eq == std::string::npos || !valid_value(it->second, value)) {
    std::string hint = it->second == FlagType::seconds
                           ? " (Google Benchmark 1.7.1 takes plain seconds, e.g. 0.5, not 0.5s)"
                           : "";
    throw UsageError("bad value '" + value + "' for " + name + hint);
  }
}

KernelEventCounting parse_kernel_events(const std::string& v) {
  if (v == "pass") return KernelEventCounting::separate_pass;
  if (v == "inline") return KernelEventCounting::in_timed_rounds;
  if (v == "off") return KernelEventCounting::off;
  throw UsageError("--kernel-events takes pass, inline or off, not '" + v + "'");
}

// An option a family declared: its value is kept for the family to check and apply.
bool take_family_option(const std::string& arg, Options& o) {
  for (const auto& [flag, option] : family_options()) {
    std::string v;
    if (option.example.empty() ? take_value(arg, flag, v) : take_list(arg, flag, v)) {
      o.family_values.emplace_back(flag, v);
      return true;
    }
  }
  return false;
}

}  // namespace

Options parse_options(const std::vector<std::string>& args) {
  Options o;
  for (const auto& arg : args) {
    std::string v;
    if (arg == "--help" || arg == "-h") {
      o.help = true;
    } else if (arg == "--list") {
      o.list = true;
    } else if (arg == "--no-python") {
      o.no_python = true;
    } else if (take_value(arg, "--kernel-events", v)) {
      o.kernel_events = parse_kernel_events(v);
    } else if (take_value(arg, "--profile", v)) {
      if (!find_profile(v)) {
        throw UsageError("unknown profile '" + v + "'; choose one of: " + profile_names());
      }
      o.profile = v;
    } else if (take_value(arg, "--out", v)) {
      if (v.empty()) throw UsageError("--out needs a file name, e.g. --out=results/run.json");
      o.out = v;
    } else if (take_value(arg, "--filter", v) || take_value(arg, "--benchmark_filter", v)) {
      o.filter = v;
    } else if (take_value(arg, "--peer-timeout", v)) {
      o.peer_timeout = parse_timeout(v);
    } else if (take_list(arg, "--mechanisms", o.choices.mechanisms) ||
               take_list(arg, "--families", o.choices.families) ||
               take_list(arg, "--sizes", o.choices.sizes) ||
               take_list(arg, "--cpus", o.choices.cpus) || take_family_option(arg, o)) {
    } else if (take_value(arg, "--remote", v)) {
      if (v.empty()) throw UsageError("--remote needs HOST:PORT, e.g. --remote=198.18.0.1:5555");
      o.remote = v;
    } else if (take_value(arg, "--token-file", v)) {
      if (v.empty()) throw UsageError("--token-file needs a file name");
      o.token_file = v;
    } else if (take_value(arg, "--inject-protocol-version", v)) {
      o.remote_protocol = static_cast<int>(parse_count("--inject-protocol-version", v));
    } else if (take_value(arg, "--inject-peer-kill", v)) {
      o.hooks.inject_peer_kill(v);
    } else if (take_value(arg, "--inject-slowdown", v)) {
      o.hooks.inject_slowdown(v);
    } else if (arg.rfind("--benchmark_", 0) == 0) {
      check_benchmark_flag(arg);
      if (take_value(arg, "--benchmark_repetitions", v)) {
        o.repetitions = std::stoi(v);  // checked above: 1 to 8 digits
      } else {
        o.benchmark_flags.push_back(arg);
      }
    } else {
      throw UsageError("unknown argument '" + arg + "'; see ipcbench --help");
    }
  }
  return o;
}

namespace {

// The options families declare: "[--rates=R,R] [--hgrm-dir=DIR] ..." wrapped under the usage
// line, and their help lines under our own.
std::string family_usage() {
  std::string text, line = "               ";
  for (const auto& [flag, option] : family_options()) {
    const std::string item = " [" + flag + "=" + option.value + "]";
    if (line.size() + item.size() > 90) {
      text += line + "\n";
      line = "               ";
    }
    line += item;
  }
  return text + line + "\n";
}

std::string family_help() {
  std::string text;
  for (const auto& [flag, option] : family_options()) {
    std::string head = "  " + flag + "=" + option.value;
    for (const auto& help : option.help) {
      text += head.size() < 24 ? head + std::string(24 - head.size(), ' ') + help + "\n"
                               : head + "\n" + std::string(24, ' ') + help + "\n";
      head.clear();
    }
  }
  return text;
}

}  // namespace

std::string usage_text() {
  std::string text =
      "usage: ipcbench [--profile=NAME] [--out=FILE] [--filter=REGEX] [--list]\n"
      "                [--mechanisms=A,B] [--families=A,B] [--sizes=N,N] [--cpus=A,B]\n"
      "                [--peer-timeout=SECONDS] [--remote=HOST:PORT [--token-file=F]]\n"
      "                [--benchmark_*=...]\n" +
      family_usage() +
      "       ipcbench serve --listen=ADDR:PORT [--token-file=F | --allow-anyone] [...]\n\n"
      "  --profile=NAME        which benchmarks, sizes and repetitions (default: default)\n"
      "  --out=FILE            results JSON; must not exist (default: results/<run-id>.json,\n"
      "                        with results/latest.json pointing to it)\n"
      "  --filter=REGEX        only benchmarks whose name matches; a leading '-' negates\n"
      "  --list                print the benchmark names the profile would run, and exit\n"
      "  --no-python           leave out the course's Python programs (py/..., run with the\n"
      "                        python3 on PATH by benches/python/runner.py)\n"
      "  --kernel-events=WHEN   count system calls and CPU migrations per message (perf):\n"
      "                        pass (default: in a pass after the timed rounds, since\n"
      "                        counting slows them), inline (in the timed rounds), off\n"
      "  --mechanisms=A,B      only these IPC mechanisms (ipc/<name>/...; see --list)\n"
      "  --families=A,B        only these families: ipc, spawn, pool, cpu, io, ... or a prefix\n"
      "                        (floor); py is the Python runner's\n"
      "  --sizes=N,N           IPC message sizes instead of the profile's: 64,4K,1M (1 B..64 MiB)\n"
      "  --cpus=A[,B]          the CPUs pin:same (A) and pin:cross (A and B) use\n"
      "  --peer-timeout=SEC    a peer that makes no progress this long is declared hung (5)\n"
      "  --remote=HOST:PORT    also run tcp, udp and zmq.tcp with their peer on `ipcbench serve`\n"
      "                        at HOST:PORT (net/...), beside the same over loopback\n"
      "  --token-file=F        the token `serve --token-file` has (its first line, 16+\n"
      "                        characters, the file chmod 600): keys for an encrypted,\n"
      "                        authenticated control connection are derived from it\n"
      "  serve                 be the peer for another host's --remote: --listen=ADDR:PORT\n"
      "                        (a numeric address, never a wildcard), one client at a time;\n"
      "                        ipcbench serve --help lists its options and limits\n"
      "  --inject-slowdown=REGEX:PERCENT\n"
      "                        test only: slow matching latency benchmarks by PERCENT of their\n"
      "                        median warm-up round trip (to measure what scripts/compare "
      "detects)\n"
      "  --inject-peer-kill=REGEX\n"
      "                        test only: matching ipc benchmarks' process peers SIGKILL\n"
      "                        themselves a few ms in (to test that a dead peer is detected)\n"
      "  --benchmark_*         passed to Google Benchmark 1.7.1, e.g. --benchmark_repetitions=9\n"
      "                        --benchmark_min_time=0.5 (plain seconds)\n\n"
      "options the families declare:\n" +
      family_help() + "\nprofiles:\n";
  for (const auto& p : profiles())
    text += "  " + p.name + std::string(10 - p.name.size(), ' ') + p.description + "\n";
  text +=
      "\nexit status: 0 all benchmarks passed, 1 a benchmark failed, 2 bad input,\n"
      "             130/143 interrupted (nothing is written)\n";
  return text;
}

}  // namespace ipcbench
