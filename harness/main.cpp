// build/ipcbench: the entry point. Parses the command line and runs (app/run.hpp); bad input is
// one line and exit 2, any other error one line and exit 1.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/run.hpp"
#include "base/usage_error.hpp"

int main(int argc, char** argv) {
  // A peer that dies mid-write must surface as EPIPE in the benchmark, not kill the run.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    const auto opt = ipcbench::parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (opt.help) {
      std::cout << ipcbench::usage_text();
      return 0;
    }
    return ipcbench::run(opt, argv[0]);
  } catch (const ipcbench::UsageError& e) {
    std::fprintf(stderr, "ipcbench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ipcbench: error: %s\n", e.what());
    return 1;
  }
}
