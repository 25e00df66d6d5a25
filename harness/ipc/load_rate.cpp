#include "ipc/load_rate.hpp"

#include <regex>

#include "base/usage_error.hpp"

namespace ipcbench {

LoadRate parse_load_rate(const std::string& text) {
  static const std::regex form(R"(([0-9]+(\.[0-9]+)?)([kM%]?))");
  const std::string fix =
      "; give messages per second (1 to 100M, e.g. 10k, 1M) or a share of "
      "the mechanism's capacity (e.g. 50%, up to 1000%)";
  std::smatch m;
  if (!std::regex_match(text, m, form)) throw UsageError("rate '" + text + "' is not a rate" + fix);
  const double number = std::stod(m[1]);
  const std::string unit = m[3];
  LoadRate rate{.name = text};
  if (unit == "%") {
    rate.of_capacity = number / 100;
    if (!(rate.of_capacity > 0) || rate.of_capacity > 10) {
      throw UsageError("rate '" + text + "' is outside 0 .. 1000 %" + fix);
    }
    return rate;
  }
  rate.per_second = number * (unit == "k" ? 1e3 : unit == "M" ? 1e6 : 1);
  if (rate.per_second < 1 || rate.per_second > 100e6) {
    throw UsageError("rate '" + text + "' is outside 1 .. 100M messages per second" + fix);
  }
  return rate;
}

}  // namespace ipcbench
