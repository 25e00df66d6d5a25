#include "channel/epoll_endpoint.hpp"

#include <sys/epoll.h>

#include <stdexcept>

#include "base/system_error.hpp"
#include "os/io.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {

EpollFanInEndpoint::EpollFanInEndpoint(std::vector<Fd> connections)
    : connections_(std::move(connections)),
      epoll_(check_syscall(epoll_create1(EPOLL_CLOEXEC), "epoll_create1")) {
  for (const auto& c : connections_) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = c.get();
    check_syscall(epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.get(), &ev), "epoll_ctl");
  }
  ready_.reserve(connections_.size());
}

void EpollFanInEndpoint::send(std::span<const std::byte>) {
  throw std::logic_error("a fan-in consumer only receives");
}

int EpollFanInEndpoint::next_ready() {
  if (ready_.empty()) {
    std::vector<epoll_event> events(connections_.size());
    const int n = retry_interrupted(
        [&] {
          return epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), -1);
        },
        "epoll_wait");
    // Served from the back: reversed, so connections are taken in the order epoll gave them.
    for (int i = n - 1; i >= 0; --i) ready_.push_back(events[static_cast<std::size_t>(i)].data.fd);
  }
  const int fd = ready_.back();
  ready_.pop_back();
  return fd;
}

// A producer writes whole messages, so once one byte is readable the rest follows at once; a
// producer that went away is an EOF, reported as ChannelClosed by read_exact.
void EpollFanInEndpoint::recv(std::span<std::byte> msg) { read_exact(next_ready(), msg); }

}  // namespace ipcbench
