#include "os/peer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "base/channel_closed.hpp"
#include "base/system_error.hpp"
#include "os/affinity.hpp"
#include "os/fd.hpp"
#include "os/stall_watchdog.hpp"
#include "os/task_stats.hpp"

namespace ipcbench {
namespace {

constexpr std::size_t kMaxErrorText = 2000;
constexpr char kReportTag = 'R';
constexpr char kErrorTag = 'E';
constexpr char kClosedTag = 'C';  // an error that was a ChannelClosed

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kInterruptEvery{100};

std::string describe_status(pid_t pid, int status) {
  const std::string who = "process peer " + std::to_string(pid);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return who + " was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  if (WIFEXITED(status)) return who + " exited with code " + std::to_string(WEXITSTATUS(status));
  return who + " ended with wait status " + std::to_string(status);
}

// The child's side: writes a tagged report or error text into the result pipe, then _exits.
[[noreturn]] void run_child(int result_fd, pid_t parent, std::optional<int> cpu,
                            const PeerFunction& fn) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(125);  // the parent died before prctl took effect
  std::string message;
  try {
    pin_current_thread(cpu);
    const PeerReport report = fn();
    char buf[1 + sizeof(PeerReport)];
    buf[0] = kReportTag;
    std::memcpy(buf + 1, &report, sizeof report);
    if (::write(result_fd, buf, sizeof buf) == static_cast<ssize_t>(sizeof buf)) _exit(0);
    _exit(124);
  } catch (const ChannelClosed& e) {
    message = std::string(1, kClosedTag) + e.what();
  } catch (const std::exception& e) {
    message = std::string(1, kErrorTag) + e.what();
  }
  message = message.substr(0, kMaxErrorText);
  (void)!::write(result_fd, message.data(), message.size());
  _exit(1);
}

}  // namespace

struct Peer::Impl {
  virtual ~Impl() = default;
  virtual pid_t pid() const { return 0; }
  virtual const std::atomic<bool>* failure_flag() const { return nullptr; }
  virtual PeerReport join(std::chrono::milliseconds timeout, bool interrupt_waits) = 0;
  virtual bool done() = 0;
  bool joined = false;
};

namespace {

class ProcessPeer : public Peer::Impl {
 public:
  ProcessPeer(std::optional<int> cpu, const PeerFunction& fn) {
    auto [rd, wr] = make_pipe("pipe2 (peer result)");
    const pid_t parent = getpid();
    // Flush now so the child cannot inherit (and later duplicate) buffered output.
    std::fflush(nullptr);
    pid_ = check_syscall(fork(), "fork");
    if (pid_ == 0) {
      rd.reset();
      run_child(wr.get(), parent, cpu, fn);
    }
    result_ = std::move(rd);
  }

  ~ProcessPeer() override {
    if (!joined && pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const override { return pid_; }

  bool done() override { return finished_ || (finished_ = read_result(Clock::now())); }

  PeerReport join(std::chrono::milliseconds timeout, bool) override {
    const bool finished = finished_ || read_result(Clock::now() + timeout);
    if (!finished) kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) check_syscall(-1, "waitpid");
    }
    joined = true;
    if (!finished) {
      throw PeerError("process peer " + std::to_string(pid_) + " did not finish within " +
                          std::to_string(timeout.count()) + " ms and was killed",
                      PeerError::Kind::timed_out);
    }
    if (!text_.empty() && text_[0] == kReportTag && text_.size() == 1 + sizeof(PeerReport) &&
        WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      PeerReport report;
      std::memcpy(&report, text_.data() + 1, sizeof report);
      return report;
    }
    if (!text_.empty() && (text_[0] == kErrorTag || text_[0] == kClosedTag)) {
      throw PeerError(
          "process peer " + std::to_string(pid_) + " failed: " + text_.substr(1),
          text_[0] == kClosedTag ? PeerError::Kind::saw_close : PeerError::Kind::failed);
    }
    throw PeerError(describe_status(pid_, status));
  }

 private:
  // Reads the result pipe until EOF (the child exited or closed it). False on timeout.
  bool read_result(Clock::time_point deadline) {
    char buf[512];
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() < 0) return false;
      pollfd p{result_.get(), POLLIN, 0};
      const int r = poll(&p, 1, static_cast<int>(left.count()) + 1);
      if (r < 0 && errno == EINTR) continue;
      check_syscall(r, "poll (peer result)");
      if (r == 0) continue;
      const ssize_t n = ::read(result_.get(), buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      check_syscall(n, "read (peer result)");
      if (n == 0) return true;
      text_.append(buf, static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  Fd result_;
  std::string text_;
  bool finished_ = false;  // the result pipe has reached EOF
};

class ThreadPeer : public Peer::Impl {
 public:
  ThreadPeer(std::optional<int> cpu, PeerFunction fn) {
    thread_ = std::thread([this, cpu, fn = std::move(fn)] {
      PeerReport report;
      std::string error;
      try {
        pin_current_thread(cpu);
        name_harness_thread("peer");  // not a helper of the benchmark's side (os/cost_meter)
        report = fn();
      } catch (const std::exception& e) {
        error = e.what();
        if (error.empty()) error = "exception without message";
        closed_ = dynamic_cast<const ChannelClosed*>(&e) != nullptr;
        failed_.store(true);
      }
      std::lock_guard lock(mu_);
      report_ = report;
      error_ = std::move(error);
      done_ = true;
      cv_.notify_all();
    });
  }

  ~ThreadPeer() override {
    if (!thread_.joinable()) return;
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [this] { return done_; })) {
      // A thread cannot be killed, and detaching it would leave it touching freed memory.
      std::fprintf(stderr, "ipcbench: fatal: a thread peer is hung and cannot be stopped\n");
      std::fflush(stderr);
      _exit(3);
    }
    lock.unlock();
    thread_.join();
  }

  const std::atomic<bool>* failure_flag() const override { return &failed_; }

  bool done() override {
    std::lock_guard lock(mu_);
    return done_;
  }

  PeerReport join(std::chrono::milliseconds timeout, bool interrupt_waits) override {
    std::unique_lock lock(mu_);
    const auto deadline = Clock::now() + timeout;
    while (!done_ && Clock::now() < deadline) {
      if (interrupt_waits) StallWatchdog::interrupt(thread_.native_handle());
      cv_.wait_until(lock, std::min(deadline, Clock::now() + kInterruptEvery));
    }
    if (!done_) {
      throw PeerError(
          "thread peer did not finish within " + std::to_string(timeout.count()) + " ms",
          PeerError::Kind::timed_out);
    }
    lock.unlock();
    thread_.join();
    joined = true;
    if (!error_.empty()) {
      throw PeerError("thread peer failed: " + error_,
                      closed_ ? PeerError::Kind::saw_close : PeerError::Kind::failed);
    }
    return report_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool closed_ = false;  // its error was a ChannelClosed
  std::atomic<bool> failed_{false};
  PeerReport report_;
  std::string error_;
  std::thread thread_;  // last: started after every member it uses exists
};

}  // namespace

Peer::Peer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Peer::Peer(Peer&&) noexcept = default;
Peer& Peer::operator=(Peer&&) noexcept = default;
Peer::~Peer() = default;

Peer Peer::start(PeerKind kind, std::optional<int> cpu, PeerFunction fn) {
  if (kind == PeerKind::process) return Peer(std::make_unique<ProcessPeer>(cpu, fn));
  return Peer(std::make_unique<ThreadPeer>(cpu, std::move(fn)));
}

PeerReport Peer::join(std::chrono::milliseconds timeout, bool interrupt_waits) {
  if (impl_->joined) throw std::logic_error("peer joined twice");
  return impl_->join(timeout, interrupt_waits);
}

bool Peer::done() { return impl_->done(); }

pid_t Peer::pid() const { return impl_->pid(); }
const std::atomic<bool>* Peer::failure_flag() const { return impl_->failure_flag(); }

}  // namespace ipcbench
