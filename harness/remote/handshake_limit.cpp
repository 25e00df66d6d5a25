#include "remote/handshake_limit.hpp"

namespace ipcbench {

bool HandshakeLimit::refused(const std::string& address, Clock::time_point now) const {
  const auto it = refused_until_.find(address);
  return it != refused_until_.end() && now < it->second;
}

bool HandshakeLimit::failed(const std::string& address, Clock::time_point now) {
  if (failures_.size() >= kMaxAddresses) forget_old(now);
  auto& times = failures_[address];
  times.push_back(now);
  while (!times.empty() && now - times.front() > kWindow) times.pop_front();
  if (static_cast<int>(times.size()) < kMaxFailures || refused(address, now)) return false;
  refused_until_[address] = now + kPenalty;
  times.clear();
  return true;
}

void HandshakeLimit::forget_old(Clock::time_point now) {
  std::erase_if(failures_, [&](const auto& kv) {
    return kv.second.empty() || now - kv.second.back() > kWindow;
  });
  std::erase_if(refused_until_, [&](const auto& kv) { return now >= kv.second; });
  if (failures_.size() >= kMaxAddresses) failures_.clear();  // a flood of addresses: start over
  if (refused_until_.size() >= kMaxAddresses) refused_until_.clear();
}

}  // namespace ipcbench
