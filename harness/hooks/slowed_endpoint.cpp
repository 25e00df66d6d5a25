#include "hooks/slowed_endpoint.hpp"

#include "base/clock.hpp"
#include "measure/histogram.hpp"

namespace ipcbench {
namespace {

class SlowedEndpoint : public Endpoint {
 public:
  SlowedEndpoint(Endpoint& inner, double fraction, std::uint64_t calibration)
      : inner_(inner), fraction_(fraction), left_(calibration) {}

  void send(std::span<const std::byte> msg) override {
    if (left_ > 0) sent_at_ = monotonic_ns();
    inner_.send(msg);
  }
  void recv(std::span<std::byte> msg) override {
    inner_.recv(msg);
    after_reply();
  }
  std::span<const std::byte> recv_view(std::span<std::byte> scratch) override {
    const auto view = inner_.recv_view(scratch);
    after_reply();
    return view;
  }

 private:
  void after_reply() {
    if (left_ == 0) {
      spin_for_ns(delay_ns_);
      return;
    }
    calibration_->record(static_cast<std::uint64_t>(monotonic_ns() - sent_at_));
    if (--left_ == 0) {
      delay_ns_ = static_cast<std::int64_t>(fraction_ *
                                            static_cast<double>(calibration_->percentile(0.50)));
    }
  }

  Endpoint& inner_;
  double fraction_;
  std::uint64_t left_;
  std::int64_t sent_at_ = 0;
  std::int64_t delay_ns_ = 0;
  std::unique_ptr<Histogram> calibration_ = std::make_unique<Histogram>();
};

}  // namespace

std::unique_ptr<Endpoint> slowed_endpoint(Endpoint& inner, double fraction,
                                          std::uint64_t calibration) {
  return std::make_unique<SlowedEndpoint>(inner, fraction, calibration);
}

}  // namespace ipcbench
