// homework/*: the course's exercise exactly (docs/course.md): the CPU task (the counting loop)
// and the IO task (write many short lines, read them back) each run `tasks` times one after
// another, in `tasks` threads at once and in `tasks` processes at once; the wall times are what
// the students record, with the user and system time per task that explain them. Beside them, an
// IO task that only waits (homework/wait), the kind of IO the course's claim about threads fits.
// --homework-loops and --homework-lines change the scale.
#include <string>

#include "bench/families.hpp"
#include "bench/family_options.hpp"
#include "bench/report_counters.hpp"
#include "bench/workload_guard.hpp"
#include "measure/counters.hpp"
#include "os/task_stats.hpp"
#include "workers/file_job.hpp"
#include "workers/kernels.hpp"
#include "workers/wait_job.hpp"
#include "workers/worker_job.hpp"

namespace ipcbench {
namespace {

Job cpu_task(std::uint64_t loops) {
  return {[loops](int) { return kernels::count_loop(loops); }, [loops](int) { return 2 * loops; }};
}

// lines: the IO task's lines per task, written with its times so its cost per line can be read.
void add(BenchmarkSet& set, const std::string& task, JobMode mode, int tasks,
         std::chrono::milliseconds timeout, std::function<Job()> make_job,
         std::uint64_t lines = 0) {
  const std::string name = "homework/" + task + "/" + std::string(to_string(mode)) +
                           (mode == JobMode::sequential ? "" : ":" + std::to_string(tasks));
  set.add(
      name,
      [=](benchmark::State& state) {
        run_workload(state, name, [&] {
          const Job job = make_job();
          // The whole process's and its reaped workers': what every task spent, in which mode.
          const TaskStats start = process_and_children_stats();
          for (auto _ : state)
            state.SetIterationTime(static_cast<double>(run_job(mode, tasks, job, timeout)) * 1e-9);
          TaskStats spent = process_and_children_stats();
          spent -= start;
          report_costs_per_op(state, spent, static_cast<double>(state.iterations() * tasks));
          state.counters[counters::kTasks] = tasks;
          if (lines > 0) state.counters[counters::kLines] = static_cast<double>(lines);
        });
      },
      Timing::manual);
}

void register_homework(const RunSettings& run, BenchmarkSet& set) {
  const auto hw = plan_of<HomeworkParams>(run.profile, "homework");
  const auto timeout = worker_timeout(run.peer_timeout);
  for (const JobMode mode : {JobMode::sequential, JobMode::threads, JobMode::processes}) {
    add(set, "cpu", mode, hw.tasks, timeout, [hw] { return cpu_task(hw.loops); });
  }
  for (const JobMode mode : {JobMode::sequential, JobMode::threads, JobMode::processes}) {
    add(
        set, "io", mode, hw.tasks, timeout, [hw] { return file_job(hw.tasks, hw.lines, false); },
        hw.lines);
  }
  for (const JobMode mode : {JobMode::sequential, JobMode::threads, JobMode::processes}) {
    add(set, "wait", mode, hw.tasks, timeout,
        [hw] { return wait_job(hw.waits, std::chrono::milliseconds(2)); });
  }
}

// --homework-loops and --homework-lines: a count that replaces one field of the profile's plan.
FamilyOption scale_option(const std::string& flag, std::uint64_t HomeworkParams::*field,
                          const std::string& help) {
  return {.flag = flag,
          .value = "N",
          .help = {"homework/*: " + help},
          .apply = [flag, field](const std::string& v, RunSettings& run) {
            plan_to_change<HomeworkParams>(run.profile, "homework").*field = parse_count(flag, v);
          }};
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("homework", &register_homework);
// The quick profile's exercise is a twentieth of the classic one (HomeworkParams' defaults).
IPCBENCH_REGISTER_PLANS(
    "quick",
    {{"homework", HomeworkParams{.loops = 350'000, .lines = 85'000, .waits = 5, .tasks = 4}}});

IPCBENCH_REGISTER_OPTION(scale_option("--homework-loops", &HomeworkParams::loops,
                                      "counting-loop iterations per CPU task (7000000)"));
IPCBENCH_REGISTER_OPTION(scale_option("--homework-lines", &HomeworkParams::lines,
                                      "lines written and read back per IO task (1700000)"));
IPCBENCH_REGISTER_OPTION(scale_option("--homework-waits", &HomeworkParams::waits,
                                      "2 ms waits per waiting task (50)"));

}  // namespace ipcbench
