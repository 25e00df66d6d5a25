#include "channel/slot_channel.hpp"

#include <algorithm>
#include <cstring>
#include <new>

namespace ipcbench {

// The shared state of one direction, followed by its slots.
struct SlotChannel::Direction {
  alignas(kCacheLine) std::atomic<std::uint64_t> written{0};
  alignas(kCacheLine) std::atomic<std::uint64_t> read{0};
  alignas(kCacheLine) std::atomic<std::uint32_t> closed{0};
};

namespace {

constexpr std::size_t kBytesPerDirection = 256 * 1024;

class SlotEndpoint : public Endpoint {
 public:
  SlotEndpoint(SlotChannel::Direction* out, std::byte* out_slots, int out_index,
               SlotChannel::Direction* in, std::byte* in_slots, int in_index, std::size_t slot_size,
               std::uint32_t slots, Notifier* notifier)
      : out_(out),
        in_(in),
        out_slots_(out_slots),
        in_slots_(in_slots),
        out_index_(out_index),
        in_index_(in_index),
        slot_size_(slot_size),
        slots_(slots),
        n_(notifier) {}

  // Closing posts every counter once, so a peer waiting on any of them wakes and sees it.
  ~SlotEndpoint() override {
    for (auto* d : {out_, in_}) d->closed.store(1, std::memory_order_release);
    for (int c = 0; c < 4; ++c) n_->post_for_close(c);
  }

  void send(std::span<const std::byte> msg) override {
    n_->wait(2 * out_index_ + 1);  // a free slot
    const std::uint64_t w = out_->written.load(std::memory_order_relaxed);
    if (w - out_->read.load(std::memory_order_acquire) >= slots_) closed_or_broken(out_);
    std::memcpy(out_slots_ + (w % slots_) * slot_size_, msg.data(), msg.size());
    out_->written.store(w + 1, std::memory_order_release);
    n_->post(2 * out_index_);  // one more message
  }

  void recv(std::span<std::byte> msg) override {
    n_->wait(2 * in_index_);
    const std::uint64_t r = in_->read.load(std::memory_order_relaxed);
    if (in_->written.load(std::memory_order_acquire) == r) closed_or_broken(in_);
    std::memcpy(msg.data(), in_slots_ + (r % slots_) * slot_size_, msg.size());
    in_->read.store(r + 1, std::memory_order_release);
    n_->post(2 * in_index_ + 1);
  }

 private:
  // Woken without a slot or a message: only a close may do that.
  [[noreturn]] static void closed_or_broken(const SlotChannel::Direction* d) {
    if (d->closed.load(std::memory_order_acquire)) {
      throw ChannelClosed("the peer closed the channel");
    }
    throw std::logic_error("notification without a message: the counters are out of step");
  }

  SlotChannel::Direction *out_, *in_;
  std::byte *out_slots_, *in_slots_;
  int out_index_, in_index_;
  std::size_t slot_size_;
  std::uint32_t slots_;
  Notifier* n_;
};

std::size_t header_bytes() { return cache_lines(sizeof(SlotChannel::Direction)); }

}  // namespace

SlotChannel::SlotChannel(std::size_t max_message, MakeNotifier make)
    : slot_size_(cache_lines(std::max<std::size_t>(max_message, 1))),
      slots_(static_cast<std::uint32_t>(
          std::clamp<std::size_t>(kBytesPerDirection / slot_size_, 2, 16))),
      shm_(2 * (header_bytes() + slots_ * slot_size_), "slots") {
  for (int d = 0; d < 2; ++d)
    new (shm_.data() + d * (header_bytes() + slots_ * slot_size_)) Direction;
  const std::uint32_t initial[4] = {0, slots_, 0, slots_};
  notifier_ = make(initial);
}

SlotChannel::~SlotChannel() = default;

std::unique_ptr<Endpoint> SlotChannel::open(Side side, PeerKind) {
  auto direction = [&](int d) {
    return std::launder(
        reinterpret_cast<Direction*>(shm_.data() + d * (header_bytes() + slots_ * slot_size_)));
  };
  auto slots = [&](int d) {
    return shm_.data() + d * (header_bytes() + slots_ * slot_size_) + header_bytes();
  };
  const int out = side == Side::a ? 0 : 1, in = 1 - out;
  notifier_->attach(out);
  return std::make_unique<SlotEndpoint>(direction(out), slots(out), out, direction(in), slots(in),
                                        in, slot_size_, slots_, notifier_.get());
}

}  // namespace ipcbench
