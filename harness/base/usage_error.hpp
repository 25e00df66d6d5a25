// Bad input from the user: printed as one line "ipcbench: <what and how to fix it>", exit code 2.
#pragma once

#include <stdexcept>

namespace ipcbench {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ipcbench
