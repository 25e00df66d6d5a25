#include "cli.hpp"

#include <regex>

#include "profiles.hpp"
#include "usage_error.hpp"

namespace ipcbench {
namespace {

bool take_value(const std::string& arg, const std::string& flag, std::string& value) {
  const std::string prefix = flag + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  value = arg.substr(prefix.size());
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
  for (const char* flag : {"--benchmark_out=", "--benchmark_out_format=", "--benchmark_list_tests"}) {
    if (arg.rfind(flag, 0) == 0) {
      throw UsageError(std::string(flag) + " is set by ipcbench; use --out=FILE or --list instead");
    }
  }
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
    } else if (arg.rfind("--benchmark_", 0) == 0) {
      reject_reserved(arg);
      o.benchmark_flags.push_back(arg);
    } else {
      throw UsageError("unknown argument '" + arg + "'; see ipcbench --help");
    }
  }
  return o;
}

std::string usage_text() {
  std::string text =
      "usage: ipcbench [--profile=NAME] [--out=FILE] [--filter=REGEX] [--list]\n"
      "                [--peer-timeout=SECONDS] [--benchmark_*=...]\n\n"
      "  --profile=NAME        which benchmarks, sizes and repetitions (default: default)\n"
      "  --out=FILE            results JSON; must not exist (default: results/<run-id>.json,\n"
      "                        with results/latest.json pointing to it)\n"
      "  --filter=REGEX        only benchmarks whose name matches; a leading '-' negates\n"
      "  --list                print the benchmark names the profile would run, and exit\n"
      "  --peer-timeout=SEC    a peer that makes no progress this long is declared hung (5)\n"
      "  --benchmark_*         passed to Google Benchmark 1.7.1, e.g. --benchmark_repetitions=9\n"
      "                        --benchmark_min_time=0.5 (plain seconds)\n\n"
      "profiles:\n";
  for (const auto& p : profiles()) text += "  " + p.name + std::string(10 - p.name.size(), ' ') + p.description + "\n";
  text += "\nexit status: 0 all benchmarks passed, 1 a benchmark failed, 2 bad input,\n"
          "             130/143 interrupted (nothing is written)\n";
  return text;
}

std::vector<std::string> filter_names(const std::vector<std::string>& names,
                                      const std::string& filter) {
  if (filter.empty() || filter == "all" || filter == ".") return names;
  const bool negate = filter[0] == '-';
  std::regex re;
  try {
    re = std::regex(negate ? filter.substr(1) : filter, std::regex::extended);
  } catch (const std::regex_error& e) {
    throw UsageError("--filter='" + filter + "' is not a valid regular expression: " + e.what());
  }
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (std::regex_search(n, re) != negate) out.push_back(n);
  }
  return out;
}

}  // namespace ipcbench
