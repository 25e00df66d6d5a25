// The receiver's acknowledgement, shared by the streaming drivers (throughput, load): an 8-byte
// payload whose sequence number is the count of messages it has verified, checked on arrival.
#pragma once

#include <cstdint>

#include "channel/mechanism.hpp"
#include "measure/payload.hpp"

namespace ipcbench {

class Acks {
 public:
  static constexpr std::size_t kSize = 8;
  // Tells the sender that `count` messages have arrived and been verified.
  void send(Endpoint& ep, std::uint64_t count) { ep.send(source_.stamp(count)); }
  // Blocks until the receiver says `count`; anything else is a PayloadError.
  static void await(Endpoint& ep, std::uint64_t count);

 private:
  PayloadSource source_{kSize};
};

}  // namespace ipcbench
