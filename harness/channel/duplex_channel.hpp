// Two channels of one mechanism, one each way, seen as one endpoint: a send goes out on the first,
// a receive comes in on the second. One thread can then keep sending while another receives the
// replies (load_rtt/*), each inner endpoint used by one thread only.
#pragma once

#include <memory>

#include "channel/mechanism.hpp"

namespace ipcbench {

class DuplexEndpoint : public Endpoint {
 public:
  DuplexEndpoint(std::unique_ptr<Endpoint> out, std::unique_ptr<Endpoint> in)
      : out_(std::move(out)), in_(std::move(in)) {}
  void send(std::span<const std::byte> msg) override { out_->send(msg); }
  void recv(std::span<std::byte> msg) override { in_->recv(msg); }
  std::span<const std::byte> recv_view(std::span<std::byte> scratch) override {
    return in_->recv_view(scratch);
  }

 private:
  std::unique_ptr<Endpoint> out_, in_;
};

// Side a sends on `forward` and receives on `backward`; side b the other way round.
std::unique_ptr<Channel> make_duplex_channel(std::unique_ptr<Channel> forward,
                                             std::unique_ptr<Channel> backward);

}  // namespace ipcbench
