// Failed handshakes counted per peer address: an address that fails too often in a minute is
// refused for a minute, so guessing at the token from one host is slowed on the server too.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>

namespace ipcbench {

class HandshakeLimit {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxFailures = 10;
  static constexpr std::chrono::seconds kWindow{60};
  static constexpr std::chrono::seconds kPenalty{60};

  // True while `address` is refused.
  bool refused(const std::string& address, Clock::time_point now) const;
  // Counts a failure; true when it is the one that has the address refused.
  bool failed(const std::string& address, Clock::time_point now);

 private:
  static constexpr std::size_t kMaxAddresses = 4096;  // beyond: the oldest records are dropped
  void forget_old(Clock::time_point now);
  std::map<std::string, std::deque<Clock::time_point>> failures_;
  std::map<std::string, Clock::time_point> refused_until_;
};

}  // namespace ipcbench
