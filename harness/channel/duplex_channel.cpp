#include "channel/duplex_channel.hpp"

namespace ipcbench {
namespace {

class DuplexChannel : public Channel {
 public:
  DuplexChannel(std::unique_ptr<Channel> forward, std::unique_ptr<Channel> backward)
      : forward_(std::move(forward)), backward_(std::move(backward)) {}
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override {
    auto there = forward_->open(side, peers);
    auto back = backward_->open(side, peers);
    if (side == Side::a) return std::make_unique<DuplexEndpoint>(std::move(there), std::move(back));
    return std::make_unique<DuplexEndpoint>(std::move(back), std::move(there));
  }

 private:
  std::unique_ptr<Channel> forward_, backward_;
};

}  // namespace

std::unique_ptr<Channel> make_duplex_channel(std::unique_ptr<Channel> forward,
                                             std::unique_ptr<Channel> backward) {
  return std::make_unique<DuplexChannel>(std::move(forward), std::move(backward));
}

}  // namespace ipcbench
