#include "os/cost_meter.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "os/kernel_events.hpp"

namespace ipcbench {

struct CostMeter::Helper {
  pid_t tid;
  TaskStats start;
};

// The counters of the end's own thread and of each helper, and their sum at the start.
struct CostMeter::Events {
  std::vector<KernelEventCounter> counters;
  KernelEventCounts start;
};

EndCost& EndCost::operator+=(const EndCost& o) {
  stats += o.stats;
  helper_cpu_ns += o.helper_cpu_ns;
  const bool both = counted_events() && o.counted_events();
  syscalls = both ? syscalls + o.syscalls : -1;
  migrations = both ? migrations + o.migrations : -1;
  return *this;
}

namespace {

KernelEventCounts sum(const std::vector<KernelEventCounter>& counters) {
  KernelEventCounts total;
  for (const auto& c : counters) {
    const auto n = c.read();
    total.syscalls += n.syscalls;
    total.migrations += n.migrations;
  }
  return total;
}

// A helper that ended during the segment left no /proc entry: what it spent is lost, not guessed.
// (A thread peer's helpers, such as its ZeroMQ I/O thread, may end as the peer ends.)
std::optional<TaskStats> stats_if_alive(pid_t tid) {
  try {
    return task_stats(tid);
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

}  // namespace

CostMeter::CostMeter(CostScope scope) {
  if (scope.helpers) {
    for (const pid_t tid : helper_tasks()) {
      if (const auto s = stats_if_alive(tid)) helpers_.push_back({tid, *s});
    }
  }
  if (scope.kernel_events) {
    events_ = std::make_unique<Events>();
    std::vector<Helper> alive;
    for (const auto& h : helpers_) {
      try {
        events_->counters.emplace_back(h.tid);
        alive.push_back(h);
      } catch (const TaskEnded&) {  // ended since it was listed: nothing of it to count
      }
    }
    helpers_ = std::move(alive);
    events_->counters.emplace_back(0);  // the calling thread
    events_->start = sum(events_->counters);
  }
  own_start_ = calling_thread_stats();  // last: the set-up above is not the segment's
}

CostMeter::~CostMeter() = default;

EndCost CostMeter::stop(std::int64_t spun_ns) {
  EndCost cost;
  cost.stats = calling_thread_stats();
  cost.stats -= own_start_;
  if (events_) {
    const auto now = sum(events_->counters);
    cost.syscalls = now.syscalls - events_->start.syscalls;
    cost.migrations = now.migrations - events_->start.migrations;
  }
  const std::int64_t spun = std::min(spun_ns, cost.stats.cpu_ns);
  cost.stats.cpu_ns -= spun;
  cost.stats.user_ns = std::max<std::int64_t>(cost.stats.user_ns - spun, 0);
  for (const auto& h : helpers_) {
    if (auto now = stats_if_alive(h.tid)) {
      *now -= h.start;
      cost.stats += *now;
      cost.helper_cpu_ns += now->cpu_ns;
    }
  }
  return cost;
}

}  // namespace ipcbench
