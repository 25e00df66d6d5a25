// What runs the other end of a benchmark: a forked process or a thread of this process.
// Kept apart from peer.hpp so profiles and channels can name it without starting peers.
#pragma once

#include <string_view>

namespace ipcbench {

enum class PeerKind { process, thread };

constexpr std::string_view to_string(PeerKind k) {
  return k == PeerKind::process ? "process" : "thread";
}

}  // namespace ipcbench
