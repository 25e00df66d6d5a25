// A Channel for every mechanism that is a pair of file descriptors per side (pipes, FIFOs,
// sockets): framing by exact-size read/write loops, EOF and EPIPE reported as ChannelClosed.
#pragma once

#include <functional>
#include <vector>

#include "channel/mechanism.hpp"
#include "os/fd.hpp"

namespace ipcbench {

class FdEndpoint : public Endpoint {
 public:
  // `out` may be empty for bidirectional descriptors (sockets): then `in` is used both ways.
  FdEndpoint(Fd in, Fd out) : in_(std::move(in)), out_(std::move(out)) {}
  void send(std::span<const std::byte> msg) override;
  void recv(std::span<std::byte> msg) override;

 protected:
  Fd in_;
  Fd out_;
};

// The same, but its receives never sleep: busy polling with non-blocking reads (see
// read_exact_polling), for a receiver that trades a spinning core for no wake-up.
class PollingFdEndpoint : public FdEndpoint {
 public:
  PollingFdEndpoint(Fd in, Fd out, bool socket)
      : FdEndpoint(std::move(in), std::move(out)), socket_(socket) {}
  void recv(std::span<std::byte> msg) override;

 private:
  bool socket_;
};

// Fan-out over one descriptor per consumer: every message is written to each in turn.
class FanOutFdEndpoint : public Endpoint {
 public:
  explicit FanOutFdEndpoint(std::vector<Fd> outs) : outs_(std::move(outs)) {}
  void send(std::span<const std::byte> msg) override;
  void recv(std::span<std::byte> msg) override;  // throws: a fan-out producer never receives

 private:
  std::vector<Fd> outs_;
};

// Each role (side a, then side b, producers 0..N-1 or consumers 0..N-1) owns its descriptors; with
// process peers, opening a role closes every other role's copies in the calling process, so that
// when a peer dies the kernel sees the last reference go and reports EOF or EPIPE.
class FdChannel : public Channel {
 public:
  struct Ends {
    Fd in;   // empty for a fan-in producer, which only writes
    Fd out;  // empty when `in` is bidirectional
    // A mechanism's side channel, or empty: the hand-off mechanisms (channel/handoff_endpoint)
    // acknowledge each message on it.
    Fd side_in;
    Fd side_out;
  };
  // Makes a role's Endpoint from its descriptors; the default is an FdEndpoint (byte streams).
  using MakeEndpoint = std::function<std::unique_ptr<Endpoint>(Ends)>;

  FdChannel(Ends a, Ends b, MakeEndpoint make = {});
  // Fan-in: the consumer reads `consumer.in`; producer i writes producers[i].out.
  FdChannel(Ends consumer, std::vector<Ends> producers, MakeEndpoint make = {});
  // Fan-out: the producer writes each message to every one of `outs`; consumer i reads
  // consumers[i].in.
  FdChannel(std::vector<Fd> outs, std::vector<Ends> consumers, MakeEndpoint make = {});
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override;
  std::unique_ptr<Endpoint> open_producer(int index, PeerKind peers) override;
  std::unique_ptr<Endpoint> open_consumer(int index, PeerKind peers) override;

 private:
  std::unique_ptr<Endpoint> take(std::size_t role, PeerKind peers);
  std::vector<Ends> roles_;
  std::vector<Fd> fan_out_;  // the fan-out producer's descriptors (its role 0 is then empty)
  MakeEndpoint make_;
};

// Fan-in helper: `count` duplicates of fd, one per producer, so each owns its own reference.
std::vector<FdChannel::Ends> duplicate_writers(int fd, int count);

}  // namespace ipcbench
