#include "channel/handoff_endpoint.hpp"

#include "os/io.hpp"

namespace ipcbench {

void HandoffEndpoint::send(std::span<const std::byte> msg) {
  lend(ends_.out.get(), msg);
  std::byte ack[1];
  read_exact(ends_.side_in.get(), ack);  // the receiver is done with our buffer
}

void HandoffEndpoint::recv(std::span<std::byte> msg) {
  take(ends_.in.get(), msg);
  const std::byte ack[1] = {std::byte{'a'}};
  write_all(ends_.side_out.get(), ack);
}

std::unique_ptr<Channel> make_handoff_channel(const FdChannel::MakeEndpoint& make) {
  auto [a_to_b_read, a_to_b_write] = make_pipe("pipe2 (hand-off data)");
  auto [b_to_a_read, b_to_a_write] = make_pipe("pipe2 (hand-off data)");
  auto [ack_to_a_read, ack_to_a_write] = make_pipe("pipe2 (hand-off acknowledgements)");
  auto [ack_to_b_read, ack_to_b_write] = make_pipe("pipe2 (hand-off acknowledgements)");
  return std::make_unique<FdChannel>(
      FdChannel::Ends{std::move(b_to_a_read), std::move(a_to_b_write), std::move(ack_to_a_read),
                      std::move(ack_to_b_write)},
      FdChannel::Ends{std::move(a_to_b_read), std::move(b_to_a_write), std::move(ack_to_b_read),
                      std::move(ack_to_a_write)},
      make);
}

}  // namespace ipcbench
