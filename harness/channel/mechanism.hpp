// The interface every IPC mechanism implements, and the registry the benchmarks are built from.
// A mechanism only moves bytes; clocks, verification and peers belong to the drivers.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/channel_closed.hpp"
#include "base/unique_name.hpp"
#include "channel/streaming_copy.hpp"
#include "os/peer_kind.hpp"

namespace ipcbench {

// Which end of a channel: `a` is the benchmark's own thread, `b` is the peer.
enum class Side { a, b };

// One end of a channel. Messages are framed: recv(buf) returns exactly one message of buf.size()
// bytes (both sides always know the next message's size, so stream mechanisms need no header).
class Endpoint {
 public:
  virtual ~Endpoint() = default;
  virtual void send(std::span<const std::byte> msg) = 0;
  virtual void recv(std::span<std::byte> msg) = 0;
  // Receives one message of scratch.size() bytes and returns a view of it, valid until the next
  // recv or recv_view on this endpoint. Shared-memory mechanisms override it to hand out the
  // bytes where they lie: avoiding that copy is what shared memory is for. Every other
  // mechanism receives into scratch.
  virtual std::span<const std::byte> recv_view(std::span<std::byte> scratch) {
    recv(scratch);
    return scratch;
  }
};

struct ChannelOptions {
  std::size_t max_message_size = 0;
  PeerKind peers = PeerKind::process;
  // 0: a two-way pair (sides a and b). N > 0: fan-in, N producers (side b, open_producer) send
  // one way to a single consumer (side a, open).
  int producers = 0;
  // N > 0: fan-out, one producer (side a, open) sends one way to N consumers (open_consumer),
  // each of which receives every message.
  int consumers = 0;
  // For a mechanism that copies into shared memory: from which size cache-bypassing stores pay
  // (channel/ring_copy.hpp). Asked only by a mechanism that uses it, since the answer is measured
  // on first use.
  std::function<std::size_t()> streaming_copy_min = [] { return kDefaultStreamingMin; };
};

// Created in the parent before the peer starts; each side then calls open() once, in its own
// process or thread. With process peers, open() also releases the other side's resources in the
// calling process, so a peer's death closes the channel instead of leaving it half-open.
class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::unique_ptr<Endpoint> open(Side side, PeerKind peers) = 0;
  // Fan-in only: producer `index` (0..N-1) opens its sending end; it never calls recv.
  virtual std::unique_ptr<Endpoint> open_producer(int index, PeerKind peers);
  // Fan-out only: consumer `index` (0..N-1) opens its receiving end; it never calls send.
  virtual std::unique_ptr<Endpoint> open_consumer(int index, PeerKind peers);
};

struct Capabilities {
  std::size_t max_message_size = std::size_t{1} << 30;
  // Why larger messages cannot be carried, for the skip message ("a UDP datagram carries at
  // most 65507 B"); only needed when max_message_size is below 1 MiB.
  std::string max_message_reason;
  bool process_peers = true;
  bool thread_peers = true;
  // Largest message several producers can send to one consumer without interleaving (e.g.
  // PIPE_BUF for a pipe); 0 when the mechanism has no fan-in.
  std::size_t fan_in_max_message_size = 0;
  // Largest message one producer can send to several consumers; 0 when it has no fan-out.
  std::size_t fan_out_max_message_size = 0;
};

// Where a message's bytes travel: copied through the kernel (pipes, Unix sockets, message
// queues), through shared memory both sides map, or through the network stack (even on loopback).
enum class DataPath { kernel_copy, shared_memory, network_stack };
// How a receiver waits for a message: asleep in the kernel, spinning on a core, spinning a while
// and then sleeping, or asleep while a kernel thread polls for it (io_uring's SQPOLL: a core busy
// all the same, its CPU counted as the mechanism's helper's).
enum class Waits { blocks, spins, hybrid, kernel_polls };
std::string_view to_string(DataPath path);
std::string_view to_string(Waits waits);

// What a reader of the results needs to know about a mechanism; written into the JSON context,
// so charts and findings never guess it from a name.
struct MechanismFacts {
  DataPath data_path;
  Waits waits;
  const char* library = "";  // a library on top of the data path ("libzmq"), or none
  // What a tuned variant changes from the mechanism's defaults ("pipe buffer 1 MiB"), or none.
  const char* settings = "";
  // Hands a message over without copying it through a kernel buffer (the receiver maps it or
  // reads it straight from the sender's memory); measured up to 16 MiB beside its counterpart.
  bool zero_copy = false;
  // The plain mechanism this one is a variant of, or an alternative to ("pipe"), or none: the
  // report sets them side by side.
  const char* counterpart = "";
};

// Between hosts (ipcbench serve): the server listens on its own numeric IPv4 address for one
// connection per benchmark; the client connects to it and first presents the run's secret
// (channel/data_port_secret.hpp). Only mechanisms that can cross a network have a RemoteLink.
class RemoteListener {
 public:
  virtual ~RemoteListener() = default;
  virtual int port() const = 0;
  // Waits up to `timeout` for the client that sends the secret, dropping anything else; throws
  // ChannelClosed if it does not come.
  virtual std::unique_ptr<Endpoint> accept(std::chrono::milliseconds timeout) = 0;
};

// What both ends of a remote data port agree on: where, the largest message, and the secret.
struct DataPortSpec {
  std::string host;
  int port = 0;  // the listener's: 0, the kernel picks one
  std::size_t max_message = 0;
  std::string secret;
};

struct RemoteLink {
  std::function<std::unique_ptr<RemoteListener>(const DataPortSpec&)> listen;
  std::function<std::unique_ptr<Endpoint>(const DataPortSpec&)> connect;
};

struct MechanismInfo {
  std::string name;  // as it appears in benchmark names: ipc/<name>/...
  std::string description;
  MechanismFacts facts;
  Capabilities caps;
  std::function<std::unique_ptr<Channel>(const ChannelOptions&)> create;
  std::optional<RemoteLink> remote;  // none: this mechanism stays on one host

  bool supports(PeerKind k) const {
    return k == PeerKind::process ? caps.process_peers : caps.thread_peers;
  }
  bool supports_fan_in() const { return caps.fan_in_max_message_size > 0; }
  bool supports_fan_out() const { return caps.fan_out_max_message_size > 0; }
};

// All registered mechanisms, sorted by name.
const std::vector<MechanismInfo>& all_mechanisms();
const MechanismInfo* find_mechanism(std::string_view name);
bool register_mechanism(MechanismInfo info);

}  // namespace ipcbench

// One line at the bottom of a mechanism's file registers it: IPCBENCH_REGISTER_MECHANISM(info);
#define IPCBENCH_REGISTER_MECHANISM(...)                                         \
  [[maybe_unused]] static const bool IPCBENCH_UNIQUE_NAME(ipcbench_mechanism_) = \
      ::ipcbench::register_mechanism(__VA_ARGS__)
