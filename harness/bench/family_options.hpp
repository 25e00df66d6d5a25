// Command-line options a family declares in its own file (IPCBENCH_REGISTER_OPTION): the command
// line lists them in --help and hands each value given to the family, which checks it and sets it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/unique_name.hpp"
#include "bench/settings.hpp"

namespace ipcbench {

struct FamilyOption {
  std::string flag;               // "--rates"
  std::string value;              // how the value reads in --help: "R,R"
  std::string example;            // a list's example, "10k,50%"; empty: the value is not a list
  std::vector<std::string> help;  // --help's lines, each up to 64 characters
  // Checks the value (UsageError naming the flag and what it accepts) and sets it in the run's
  // settings; called after the profile is narrowed by --mechanisms, --families and --sizes.
  std::function<void(const std::string& value, RunSettings& run)> apply;
};

bool register_option(FamilyOption option);
// Every declared option by flag.
const std::map<std::string, FamilyOption>& family_options();

// "a,b,c" -> {"a", "b", "c"}; the command line has already refused empty items.
std::vector<std::string> split_list(const std::string& list);
// A positive count up to a billion (--homework-loops=7000000); UsageError naming `flag` otherwise.
std::uint64_t parse_count(const std::string& flag, const std::string& value);

}  // namespace ipcbench

#define IPCBENCH_REGISTER_OPTION(...)                                         \
  [[maybe_unused]] static const bool IPCBENCH_UNIQUE_NAME(ipcbench_option_) = \
      ::ipcbench::register_option(__VA_ARGS__)
