// Machine and run facts added to the JSON "context", so a result can be read (and compared)
// knowing what it ran on: CPU, kernel, virtualisation, clocks, limits, compiler, git revision.
#pragma once

#include <map>
#include <string>

namespace ipcbench {

// Key -> value, all strings (Google Benchmark's custom context is string-valued).
std::map<std::string, std::string> collect_context(const std::string& profile);
// Adds them with benchmark::AddCustomContext.
void add_context(const std::string& profile);

// The build's git revision, baked in at build time ("unknown" outside a git checkout).
std::string git_sha();
std::string git_short_sha();

}  // namespace ipcbench
