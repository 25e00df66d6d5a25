#include "channel/data_port_secret.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "os/stall_watchdog.hpp"

namespace ipcbench {

bool secret_matches(std::span<const char> received, const std::string& secret) {
  if (received.size() != secret.size() || secret.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < secret.size(); ++i) {
    diff |= static_cast<unsigned char>(received[i] ^ secret[i]);
  }
  return diff == 0;
}

bool stream_sent_secret(int fd, const std::string& secret, std::chrono::milliseconds limit) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + limit;
  std::vector<char> got(secret.size());
  std::size_t have = 0;
  while (have < got.size()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) {
      check_stall();
      continue;
    }
    if (r <= 0) return false;
    const ssize_t n = ::read(fd, got.data() + have, got.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    have += static_cast<std::size_t>(n);
  }
  return secret_matches(got, secret);
}

}  // namespace ipcbench
