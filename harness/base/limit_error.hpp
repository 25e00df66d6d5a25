// A configuration this machine cannot run because of one of its limits (kernel, rlimit, space):
// the message names the limit and how to raise it, and the benchmark is skipped, not failed.
#pragma once

#include <stdexcept>

namespace ipcbench {

class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ipcbench
