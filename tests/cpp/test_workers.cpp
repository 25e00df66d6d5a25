// The workers families' building blocks: jobs check every task's result in every mode, a
// crashing, throwing or lying worker fails the job with its name, the kernels compute what they
// claim, and the IO tasks leave no file behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "os/resources.hpp"
#include "workers/echo_server.hpp"
#include "workers/file_job.hpp"
#include "workers/kernels.hpp"
#include "workers/process_pool.hpp"
#include "workers/thread_pool.hpp"
#include "workers/worker_job.hpp"

using namespace ipcbench;
namespace fs = std::filesystem;

namespace {

constexpr JobMode kModes[] = {JobMode::sequential, JobMode::threads, JobMode::processes};

// The error run_job throws, or "" if it succeeded.
std::string job_error(JobMode mode, int n, const Job& job) {
  try {
    run_job(mode, n, job);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Kernels, CountLoopAndPrimesComputeTheirResult) {
  EXPECT_EQ(kernels::count_loop(12345), 2u * 12345);
  EXPECT_EQ(kernels::primes_below(1000), 168u);
  EXPECT_EQ(kernels::count_primes(1000), 168u);
  EXPECT_EQ(kernels::count_primes(100'000), kernels::primes_below(100'000));
}

TEST(Kernels, WriteReadLinesReadsBackEveryLineAndDeletesTheFile) {
  OwnedResource dir = make_private_dir();
  const std::string path = dir.name() + "/lines.txt";
  EXPECT_EQ(kernels::write_read_lines(path, 5000, false), 5000u);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(kernels::write_read_lines(path, 10, true), 10u);
  EXPECT_THROW(kernels::write_read_lines(dir.name() + "/no/such/dir/x", 1, false),
               std::system_error);
}

TEST(WorkerJob, EveryModeRunsEveryTaskOnceAndChecksItsResult) {
  for (const JobMode mode : kModes) {
    const Job job{[](int i) { return kernels::count_loop(1000 + static_cast<std::uint64_t>(i)); },
                  [](int i) { return 2 * (1000 + static_cast<std::uint64_t>(i)); }};
    EXPECT_GT(run_job(mode, 3, job), 0) << to_string(mode);
  }
}

TEST(WorkerJob, AWrongResultNamesTheTaskAndTheMode) {
  for (const JobMode mode : kModes) {
    const Job job{[](int i) { return i == 2 ? 99u : 7u; }, [](int) { return 7u; }};
    const std::string error = job_error(mode, 4, job);
    EXPECT_NE(error.find("task 2 (" + std::string(to_string(mode)) + ") returned 99, expected 7"),
              std::string::npos)
        << error;
  }
}

TEST(WorkerJob, AThrowingWorkerFailsTheJob) {
  const Job job{[](int i) -> std::uint64_t {
                  if (i == 1) throw std::runtime_error("disk on fire");
                  return 0;
                },
                [](int) { return 0u; }};
  for (const JobMode mode : kModes) {
    EXPECT_NE(job_error(mode, 3, job).find("disk on fire"), std::string::npos) << to_string(mode);
  }
}

TEST(WorkerJob, ACrashingWorkerProcessIsReportedNotAHang) {
  const Job job{[](int i) -> std::uint64_t {
                  if (i == 0) {
                    signal(SIGSEGV, SIG_DFL);  // die of it, even under AddressSanitizer's handler
                    raise(SIGSEGV);
                  }
                  return 1;
                },
                [](int) { return 1u; }};
  const std::string error = job_error(JobMode::processes, 2, job);
  EXPECT_NE(error.find("killed by signal 11"), std::string::npos) << error;
  // Every worker was reaped, the healthy one too: no child is left, running or zombie.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(FileJob, TasksInThreadsAndProcessesLeaveNoFileBehind) {
  const std::size_t before = registered_resource_count();
  for (const JobMode mode : kModes) {
    {
      const Job job = file_job(3, 2000, false);
      EXPECT_GT(run_job(mode, 3, job), 0);
      EXPECT_EQ(registered_resource_count(), before + 4);  // the directory and three files
    }
    EXPECT_EQ(registered_resource_count(), before);
  }
}

TEST(EchoServer, ClientsInThreadsAndProcessesGetEveryByteBack) {
  EchoServer server;
  const Job job{[&server](int i) {
                  Fd fd = connect_loopback(server.port());
                  const std::string msg = "task " + std::to_string(i);
                  std::uint64_t good = 0;
                  for (int trip = 0; trip < 50; ++trip) {
                    // No EXPECT here: a failed one inside a worker process would be lost.
                    if (::write(fd.get(), msg.data(), msg.size()) != ssize_t(msg.size()))
                      throw std::runtime_error("short write to the echo server");
                    std::string back(msg.size(), '\0');
                    std::size_t got = 0;
                    while (got < back.size()) {
                      const ssize_t n = ::read(fd.get(), back.data() + got, back.size() - got);
                      if (n <= 0) throw std::runtime_error("echo server closed the connection");
                      got += static_cast<std::size_t>(n);
                    }
                    good += back == msg;
                  }
                  return good;
                },
                [](int) { return 50u; }};
  for (const JobMode mode : kModes) EXPECT_GT(run_job(mode, 3, job), 0) << to_string(mode);
}

TEST(ThreadPool, MapAndSubmitReturnEveryResult) {
  ThreadPool pool(3);
  const auto results = pool.map([](std::uint64_t i) { return i * i; }, 1000);
  for (std::uint64_t i = 0; i < 1000; ++i) ASSERT_EQ(results[i], i * i);
  EXPECT_EQ(pool.submit([] { return std::uint64_t{7}; }).get(), 7u);
  auto failing = pool.submit([]() -> std::uint64_t { throw std::runtime_error("boom"); });
  EXPECT_THROW(failing.get(), std::runtime_error);
}

TEST(ProcessPool, RunsEveryTaskOnceInMapAndApplyStyle) {
  ProcessPool pool(
      3, [](std::uint64_t i) { return i * 3; }, [](std::uint64_t i) { return i * 3; });
  for (const std::uint64_t chunk : {1u, 7u, 300u}) EXPECT_NO_THROW(pool.run(5000, chunk)) << chunk;
}

TEST(ProcessPool, AWrongResultOrADeadWorkerFailsTheRun) {
  {
    ProcessPool pool(
        2, [](std::uint64_t i) { return i == 42 ? 0 : i; }, [](std::uint64_t i) { return i; });
    try {
      pool.run(100, 1);
      ADD_FAILURE() << "a wrong result passed";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("task 42 returned 0, expected 42"), std::string::npos)
          << e.what();
    }
  }
  ProcessPool pool(
      2,
      [](std::uint64_t i) {
        if (i == 10) raise(SIGKILL);
        return i;
      },
      [](std::uint64_t i) { return i; });
  try {
    pool.run(100, 1);
    ADD_FAILURE() << "a dead worker went unnoticed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("killed by signal 9"), std::string::npos) << e.what();
  }
}
