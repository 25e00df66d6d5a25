// An endpoint whose sender lends its message's memory to the receiver instead of copying it into
// the kernel (vmsplice, process_vm_readv): send returns only once the receiver acknowledges that
// it has taken the bytes, since the caller may overwrite its buffer as soon as send returns.
#pragma once

#include "channel/fd_channel.hpp"

namespace ipcbench {

class HandoffEndpoint : public Endpoint {
 public:
  // `ends.in`/`out` carry what lend() writes; `side_in`/`side_out` carry the acknowledgements
  // (pipes, so a dead peer shows as EOF instead of a silent hang).
  explicit HandoffEndpoint(FdChannel::Ends ends) : ends_(std::move(ends)) {}
  void send(std::span<const std::byte> msg) final;
  void recv(std::span<std::byte> msg) final;

 protected:
  // Makes msg's bytes available to the receiver on `out` without copying them.
  virtual void lend(int out, std::span<const std::byte> msg) = 0;
  // Takes the next message, lent on `in`, into msg.
  virtual void take(int in, std::span<std::byte> msg) = 0;

 private:
  FdChannel::Ends ends_;
};

// Pipes for a pair of hand-off endpoints: data and acknowledgements, one pipe each way each.
std::unique_ptr<Channel> make_handoff_channel(const FdChannel::MakeEndpoint& make);

// The same, each end a HandoffEndpoint of type E: what a hand-off mechanism registers as create.
template <typename E>
std::unique_ptr<Channel> make_handoff_channel(const ChannelOptions&) {
  return make_handoff_channel([](FdChannel::Ends ends) -> std::unique_ptr<Endpoint> {
    return std::make_unique<E>(std::move(ends));
  });
}

}  // namespace ipcbench
