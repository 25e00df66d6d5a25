#include "app/run_choices.hpp"

#include <algorithm>
#include <regex>

#include "base/usage_error.hpp"
#include "bench/families.hpp"
#include "bench/family_options.hpp"
#include "channel/mechanism.hpp"
#include "os/affinity.hpp"

namespace ipcbench {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::vector<std::string> mechanism_names() {
  std::vector<std::string> names;
  for (const auto& t : all_mechanisms()) names.push_back(t.name);
  return names;
}

void choose_mechanisms(const std::string& list, Profile& profile) {
  profile.mechanisms.clear();
  for (const auto& m : split_list(list)) {
    if (!find_mechanism(m)) {
      throw UsageError("unknown mechanism '" + m +
                       "' in --mechanisms; choose from: " + joined(mechanism_names()));
    }
    profile.mechanisms.push_back(m);
  }
}

// A family is chosen by its registered name or a prefix of it ("floor" is every floor/...).
bool choose_families(const std::string& list, Profile& profile) {
  bool python = false;
  profile.families.clear();
  for (const auto& f : split_list(list)) {
    if (f == "py") {
      python = true;
      continue;
    }
    bool known = false;
    for (const auto& name : family_names()) {
      if (name == f || name.rfind(f + "/", 0) == 0) {
        profile.families.push_back(name);
        known = true;
      }
    }
    if (!known) {
      throw UsageError("unknown family '" + f +
                       "' in --families; choose from: " + joined(family_names()) + ", py");
    }
  }
  if (profile.families.empty()) profile.families.push_back("none");  // only py was chosen
  return python;
}

std::size_t parse_size(const std::string& text) {
  static const std::regex form("([0-9]{1,12})([KM]?)(i?B)?");
  std::smatch m;
  const std::string fix = "; give sizes from 1 B to 64 MiB, e.g. --sizes=64,4K,1M";
  if (!std::regex_match(text, m, form)) {
    throw UsageError("--sizes: '" + text + "' is not a message size" + fix);
  }
  std::size_t size = std::stoull(m[1]);
  if (m[2] == "K") size <<= 10;
  if (m[2] == "M") size <<= 20;
  if (size == 0 || size > kLargestChosenSize) {
    throw UsageError("--sizes: '" + text + "' is outside 1 B .. 64 MiB" + fix);
  }
  return size;
}

// A size that an explicitly chosen mechanism cannot carry at all is a mistake in the request,
// not something to skip: name the mechanism and its limit.
void choose_sizes(const std::string& list, Profile& profile) {
  std::vector<std::size_t> sizes;
  for (const auto& s : split_list(list)) {
    const std::size_t size = parse_size(s);
    for (const auto& m : profile.mechanisms) {
      const auto& caps = find_mechanism(m)->caps;
      if (size > caps.max_message_size) {
        throw UsageError("--sizes: " + s + " is above " + m + "'s limit of " +
                         std::to_string(caps.max_message_size) + " B (" + caps.max_message_reason +
                         "); choose a smaller size or another mechanism");
      }
    }
    sizes.push_back(size);
  }
  // Every plan takes the user's sizes (fan-in skips those below its minimum itself); the Python
  // runner keeps the course's sizes, and ref/pipe_pingpong its 64 B.
  for (auto& [name, plan] : profile.plans) {
    if (auto* sweep = std::any_cast<SweepPlan>(&plan)) sweep->sizes = sizes;
  }
}

PinCpus choose_cpus(const std::string& list) {
  const auto& allowed = allowed_cpus();
  std::vector<std::string> allowed_names;
  for (int c : allowed) allowed_names.push_back(std::to_string(c));
  std::vector<int> cpus;
  for (const auto& c : split_list(list)) {
    static const std::regex number("[0-9]{1,4}");
    if (!std::regex_match(c, number) ||
        std::find(allowed.begin(), allowed.end(), std::stoi(c)) == allowed.end()) {
      throw UsageError("--cpus: CPU '" + c + "' does not exist here or may not be used; " +
                       "this process may use CPUs " + joined(allowed_names));
    }
    cpus.push_back(std::stoi(c));
  }
  if (cpus.size() > 2) throw UsageError("--cpus takes one or two CPUs, e.g. --cpus=0,1");
  if (cpus.size() == 2 && cpus[0] == cpus[1]) {
    throw UsageError("--cpus=" + list + ": pin:cross needs two different CPUs, e.g. --cpus=0,1");
  }
  return {cpus[0], cpus.size() == 2 ? std::optional<int>(cpus[1]) : std::nullopt};
}

}  // namespace

bool apply_run_choices(const RunChoices& choices, RunSettings& run) {
  Profile& profile = run.profile;
  bool python = true;
  if (!choices.mechanisms.empty()) {
    choose_mechanisms(choices.mechanisms, profile);
    profile.families = {"ipc"};
    python = false;
  }
  if (!choices.families.empty()) python = choose_families(choices.families, profile);
  if (!choices.sizes.empty()) choose_sizes(choices.sizes, profile);
  if (!choices.cpus.empty()) run.cpus = choose_cpus(choices.cpus);
  return python;
}

}  // namespace ipcbench
