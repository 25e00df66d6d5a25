#include "ipc/ack.hpp"

namespace ipcbench {

void Acks::await(Endpoint& ep, std::uint64_t count) {
  std::byte ack[kSize];
  ep.recv(ack);
  verify_payload(ack, count);
}

}  // namespace ipcbench
