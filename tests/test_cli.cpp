// build/ipcbench as a user meets it: bad input is one line on stderr, exit code 2 and no file;
// a real run writes well-formed Google Benchmark JSON with our context and counters.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;  // exit code, or 128+signal
  std::string err;
  std::string out;
};

// Runs build/ipcbench with args in dir, capturing stdout and stderr.
Result run_ipcbench(const std::string& args, const fs::path& dir) {
  const fs::path err_file = dir / "stderr.txt";
  const std::string cmd = "cd '" + dir.string() + "' && '" + IPCBENCH_BINARY + "' " + args +
                          " 2>'" + err_file.string() + "'";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  fs::remove(err_file);
  return r;
}

class Cli : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ipcbench-cli-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A rejection: exit 2, exactly one line naming the problem, and no file left in the directory.
  void expect_rejected(const std::string& args, const std::string& needle) {
    const auto r = run_ipcbench(args, dir_);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      ADD_FAILURE() << args << " left " << e.path();
    }
  }

  fs::path dir_;
};

}  // namespace

TEST_F(Cli, RejectsBadInputWithOneLineAndNoFile) {
  expect_rejected("--profile=nonesuch",
                  "unknown profile 'nonesuch'; choose one of: quick, default");
  expect_rejected("--frobnicate", "unknown argument '--frobnicate'");
  expect_rejected("--profile=quick --out=", "--out needs a file name");
  expect_rejected("--profile=quick --filter='no-such-benchmark'", "selects no benchmark");
  expect_rejected("--profile=quick --filter='('", "not a valid regular expression");
  expect_rejected("--profile=quick --peer-timeout=soon", "--peer-timeout='soon'");
  expect_rejected("--profile=homework --homework-loops=0", "--homework-loops='0' is not a count");
  expect_rejected("--profile=homework --homework-lines=lots", "--homework-lines='lots'");
  expect_rejected("--profile=homework --homework-lines=-5", "--homework-lines='-5'");
  expect_rejected("--profile=ci --inject-slowdown=pipe", "must be REGEX:PERCENT");
  expect_rejected("--profile=ci --inject-slowdown='pipe:-3'", "must be REGEX:PERCENT");
  expect_rejected("--profile=ci --inject-slowdown='(:10'", "must be REGEX:PERCENT");
  expect_rejected("--profile=quick --peer-timeout=-1", "--peer-timeout='-1'");
  expect_rejected("--profile=quick --benchmark_out=x.json", "use --out=FILE");
  expect_rejected("--profile=quick --out=x.json --benchmark_min_time=0.2s", "plain seconds");
  expect_rejected("--profile=quick --out=x.json --benchmark_min_time=100x", "bad value '100x'");
  expect_rejected("--profile=quick --out=x.json --benchmark_repetitions=abc", "bad value 'abc'");
  expect_rejected("--profile=quick --out=x.json --benchmark_repetitions=0", "bad value '0'");
  expect_rejected("--profile=quick --out=x.json --benchmark_format=xml", "bad value 'xml'");
  expect_rejected("--profile=quick --out=x.json --benchmark_bogus=1",
                  "unknown Google Benchmark flag");
  expect_rejected("--profile=quick --out=x.json --benchmark_list_tests",
                  "use --out=FILE or --list");
}

TEST_F(Cli, RejectsAnUnwritableOut) {
  std::ofstream(dir_ / "plainfile") << "x";
  const auto r = run_ipcbench("--profile=quick --out=plainfile/run.json", dir_);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("cannot write --out 'plainfile/run.json'"), std::string::npos) << r.err;
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);  // only plainfile
  const auto proc = run_ipcbench("--profile=quick --out=/proc/ipcbench.json", dir_);
  EXPECT_EQ(proc.status, 2) << proc.err;
}

TEST_F(Cli, NeverOverwritesAnExistingRun) {
  std::ofstream(dir_ / "old.json") << "earlier run";
  const auto r = run_ipcbench("--profile=quick --out=old.json", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  std::ifstream in(dir_ / "old.json");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "earlier run");
}

TEST_F(Cli, HelpAndListExitZero) {
  const auto help = run_ipcbench("--help", dir_);
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--profile=NAME"), std::string::npos);
  const auto list = run_ipcbench("--list --profile=default", dir_);
  EXPECT_EQ(list.status, 0);
  for (const char* name : {"ipc/pipe/latency/peer:process/pin:cross/size:64\n",
                           "ipc/socketpair/throughput/peer:thread/pin:cross/size:1048576\n",
                           "ipc/pipe/latency/peer:process/pin:same/size:8\n",
                           "ipc/pipe/fan_in/peer:process/pin:none/producers:8/size:64\n",
                           "ref/pipe_pingpong/pin:same/size:64\n"}) {
    EXPECT_NE(list.out.find(name), std::string::npos) << name;
  }
}

TEST_F(Cli, WritesWellFormedJsonWithContextAndCounters) {
  const auto r = run_ipcbench(
      "--profile=quick --out=run.json "
      "--filter='ipc/pipe/(latency|throughput)/peer:process/.*size:64$'",
      dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("results: run.json"), std::string::npos) << r.err;
  std::ifstream in(dir_ / "run.json");
  const auto j = nlohmann::json::parse(in);
  for (const char* key :
       {"ipcbench_profile", "ipcbench_git_sha", "cpu_model", "num_cpus", "kernel", "virtualization",
        "cpuidle_driver", "clocksource", "cpufreq_governor", "compiler", "compiler_flags",
        "mq_msg_max", "mq_msgsize_max", "sysv_msgmax", "pipe_max_size"}) {
    EXPECT_TRUE(j["context"].contains(key)) << key;
  }
  EXPECT_EQ(j["context"]["ipcbench_profile"], "quick");
  ASSERT_EQ(j["benchmarks"].size(), 2u);
  for (const auto& b : j["benchmarks"]) {
    const std::string name = b["name"];
    EXPECT_EQ(name.find("manual_time"), std::string::npos) << name;
    EXPECT_FALSE(b.value("error_occurred", false)) << name;
    EXPECT_GT(b["real_time"].get<double>(), 0) << name;
    EXPECT_TRUE(b.contains("cpu_ns_per_msg")) << name;
    if (name.find("/latency/") != std::string::npos) {
      for (const char* c : {"p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"}) {
        EXPECT_TRUE(b.contains(c)) << name << " lacks " << c;
      }
    } else {
      EXPECT_GT(b["bytes_per_second"].get<double>(), 0) << name;
      EXPECT_GT(b["items_per_second"].get<double>(), 0) << name;
    }
  }
  // No partial file is left beside the result.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
}

TEST_F(Cli, DefaultOutputGoesToResultsWithALatestLink) {
  const auto r = run_ipcbench("--profile=quick --filter='ref/'", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const fs::path latest = dir_ / "results" / "latest.json";
  ASSERT_TRUE(fs::is_symlink(latest));
  const std::string target = fs::read_symlink(latest).string();
  // <UTC timestamp>-<git short sha>.json
  EXPECT_TRUE(target.size() > 22 && target[8] == 'T' && target[15] == 'Z') << target;
  EXPECT_TRUE(fs::exists(dir_ / "results" / target));
}

TEST_F(Cli, InterruptedRunLeavesNoFile) {
  const std::string cmd = "exec '" + std::string(IPCBENCH_BINARY) +
                          "' --profile=default --filter=throughput --out=run.json >/dev/null 2>&1";
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir_.c_str()) != 0) _exit(127);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  for (const auto& e : fs::directory_iterator(dir_)) ADD_FAILURE() << "left " << e.path();
}

TEST_F(Cli, HomeworkProfileRunsTheExerciseAtTheGivenScale) {
  const auto list = run_ipcbench("--list --profile=homework", dir_);
  EXPECT_EQ(list.out,
            "homework/cpu/sequential\nhomework/cpu/threads:10\nhomework/cpu/processes:10\n"
            "homework/io/sequential\nhomework/io/threads:10\nhomework/io/processes:10\n"
            "py/homework/cpu/sequential\npy/homework/cpu/threads:10\npy/homework/cpu/processes:10\n"
            "py/homework/io/sequential\npy/homework/io/threads:10\npy/homework/io/processes:10\n");
  const auto r = run_ipcbench(
      "--profile=homework --homework-loops=20000 --homework-lines=500 --out=hw.json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(dir_ / "hw.json");
  const auto json = nlohmann::json::parse(in);
  int runs = 0;
  for (const auto& b : json["benchmarks"]) {
    if (b.value("run_type", "") != "iteration") continue;
    ++runs;
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
    EXPECT_GT(b["real_time"].get<double>(), 0.0) << b.dump();
    EXPECT_EQ(b["tasks"].get<double>(), 10.0) << b.dump();
  }
  EXPECT_EQ(runs, 6 * 3 + 6);  // three repetitions of each C++ run, one of each Python run
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    if (e.path().filename() != "hw.json") ADD_FAILURE() << "left " << e.path();
  }
}

TEST_F(Cli, WorkersFamiliesRunAndReportTheirCounters) {
  const auto r = run_ipcbench(
      "--profile=quick --filter='^(spawn|pool|cpu|io|ctx|sync|memory)/' --out=w.json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(dir_ / "w.json");
  const auto json = nlohmann::json::parse(in);
  std::map<std::string, int> families;
  for (const auto& b : json["benchmarks"]) {
    const std::string name = b["name"];
    const std::string family = name.substr(0, name.find('/'));
    ++families[family];
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
    EXPECT_GT(b["real_time"].get<double>(), 0.0) << name;
    if (family == "cpu" || family == "io") {
      EXPECT_GT(b["speedup"].get<double>(), 0.0) << name;
      EXPECT_GT(b["sequential_ns"].get<double>(), 0.0) << name;
    }
    if (family == "pool") {
      EXPECT_GT(b["items_per_second"].get<double>(), 0.0) << name;
    }
    if (family == "ctx" || name.rfind("sync/", 0) == 0) {
      EXPECT_TRUE(b.contains("ns_per_op")) << name;
    }
    if (family == "memory") {
      EXPECT_GT(b["rss_bytes_per_worker"].get<double>(), 0.0) << name;
      EXPECT_TRUE(b.contains("pss_bytes_per_worker")) << name;
    }
  }
  for (const char* f : {"spawn", "pool", "cpu", "io", "ctx", "sync", "memory"})
    EXPECT_GT(families[f], 0) << f;
}
