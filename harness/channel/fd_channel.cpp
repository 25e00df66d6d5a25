#include "channel/fd_channel.hpp"

#include "os/io.hpp"

namespace ipcbench {

void FdEndpoint::send(std::span<const std::byte> msg) {
  write_all(out_ ? out_.get() : in_.get(), msg);
}

void FdEndpoint::recv(std::span<std::byte> msg) { read_exact(in_.get(), msg); }

void PollingFdEndpoint::recv(std::span<std::byte> msg) {
  read_exact_polling(in_.get(), msg, socket_);
}

void FanOutFdEndpoint::send(std::span<const std::byte> msg) {
  for (const auto& out : outs_) write_all(out.get(), msg);
}

void FanOutFdEndpoint::recv(std::span<std::byte>) {
  throw std::logic_error("a fan-out producer only sends");
}

FdChannel::FdChannel(Ends a, Ends b, MakeEndpoint make) : make_(std::move(make)) {
  roles_.push_back(std::move(a));
  roles_.push_back(std::move(b));
}

FdChannel::FdChannel(Ends consumer, std::vector<Ends> producers, MakeEndpoint make)
    : make_(std::move(make)) {
  roles_.push_back(std::move(consumer));
  for (auto& p : producers) roles_.push_back(std::move(p));
}

FdChannel::FdChannel(std::vector<Fd> outs, std::vector<Ends> consumers, MakeEndpoint make)
    : fan_out_(std::move(outs)), make_(std::move(make)) {
  roles_.emplace_back();
  for (auto& c : consumers) roles_.push_back(std::move(c));
}

std::unique_ptr<Endpoint> FdChannel::open(Side side, PeerKind peers) {
  if (side == Side::a && !fan_out_.empty()) {
    auto outs = std::move(fan_out_);
    if (peers == PeerKind::process) roles_.clear();
    return std::make_unique<FanOutFdEndpoint>(std::move(outs));
  }
  return take(side == Side::a ? 0 : 1, peers);
}

std::unique_ptr<Endpoint> FdChannel::open_producer(int index, PeerKind peers) {
  return take(static_cast<std::size_t>(index) + 1, peers);
}

std::unique_ptr<Endpoint> FdChannel::open_consumer(int index, PeerKind peers) {
  return take(static_cast<std::size_t>(index) + 1, peers);
}

std::unique_ptr<Endpoint> FdChannel::take(std::size_t role, PeerKind peers) {
  if (role >= roles_.size()) throw std::logic_error("FdChannel: no such role");
  auto mine = std::move(roles_[role]);
  if (peers == PeerKind::process) {
    roles_.clear();
    fan_out_.clear();
  }
  if (make_) return make_(std::move(mine));
  return std::make_unique<FdEndpoint>(std::move(mine.in), std::move(mine.out));
}

std::vector<FdChannel::Ends> duplicate_writers(int fd, int count) {
  std::vector<FdChannel::Ends> out;
  for (int i = 0; i < count; ++i) {
    out.push_back({Fd(), Fd(check_syscall(fcntl(fd, F_DUPFD_CLOEXEC, 0), "fcntl(F_DUPFD)"))});
  }
  return out;
}

}  // namespace ipcbench
