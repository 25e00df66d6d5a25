// Machine and run facts added to the JSON "context", so a result can be read (and compared)
// knowing what it ran on: CPU, kernel, virtualisation, clocks, limits, compiler, git revision.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/settings.hpp"

namespace ipcbench {

// Key -> value, all strings, as Google Benchmark's own context entries are.
std::map<std::string, std::string> collect_context(const RunSettings& run);

// A hypervisor's CPUID signature as a reader wants it: "KVMKVMKVM" and "bhyve bhyve " both once.
std::string readable_signature(std::string sig);

// Every registered mechanism's facts by name: description, data path, how it waits, its limits.
// Charts and findings read these instead of guessing from a name.
nlohmann::ordered_json mechanism_facts();
// The shared-memory ring's measured copy choice: where streaming starts (null: never) and the
// trials it rests on.
nlohmann::ordered_json ring_copy_json(const RingCopyChoice& choice);

// The build's git revision, baked in at build time ("unknown" outside a git checkout).
std::string git_sha();
std::string git_short_sha();

}  // namespace ipcbench
