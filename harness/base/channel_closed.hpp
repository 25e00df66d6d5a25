// The other end of a conversation went away (EOF, EPIPE, ECONNRESET, a peer that gave up). It is
// usually a symptom: the peer's own error, when there is one, is the cause worth reporting.
#pragma once

#include <stdexcept>

namespace ipcbench {

class ChannelClosed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ipcbench
