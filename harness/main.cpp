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
#include "app/serve.hpp"
#include "base/usage_error.hpp"

int main(int argc, char** argv) {
  // A peer that dies mid-write must surface as EPIPE in the benchmark, not kill the run.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "serve") {
      const auto serve_opt =
          ipcbench::parse_serve_options(std::vector<std::string>(args.begin() + 1, args.end()));
      if (serve_opt.help) {
        std::cout << ipcbench::serve_usage_text();
        return 0;
      }
      return ipcbench::serve(serve_opt);
    }
    const auto opt = ipcbench::parse_options(args);
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
