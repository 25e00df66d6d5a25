#include "bench/family_options.hpp"

#include <regex>

#include "base/usage_error.hpp"

namespace ipcbench {
namespace {

std::map<std::string, FamilyOption>& option_registry() {
  static std::map<std::string, FamilyOption> all;
  return all;
}

}  // namespace

bool register_option(FamilyOption option) {
  const std::string flag = option.flag;
  option_registry()[flag] = std::move(option);
  return true;
}

const std::map<std::string, FamilyOption>& family_options() { return option_registry(); }

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = list.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(list.substr(start, comma - start));
  }
  out.push_back(list.substr(start));
  return out;
}

std::uint64_t parse_count(const std::string& flag, const std::string& value) {
  static const std::regex digits("[0-9]{1,10}");
  if (!std::regex_match(value, digits) || std::stoull(value) == 0 ||
      std::stoull(value) > 1'000'000'000) {
    throw UsageError(flag + "='" + value +
                     "' is not a count; give a whole number from 1 to 1000000000");
  }
  return std::stoull(value);
}

}  // namespace ipcbench
