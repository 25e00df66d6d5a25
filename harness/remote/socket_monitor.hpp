// What ZeroMQ does underneath a control socket (connections accepted and lost, handshakes that
// failed), read without blocking: how each side notices a vanished peer or a refused handshake.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace zmq {
class context_t;
class socket_t;
}  // namespace zmq

namespace ipcbench {

struct SocketEvent {
  std::uint16_t type = 0;  // ZMQ_EVENT_*
  std::int32_t value = 0;  // for connection events, the connection's file descriptor
};

class SocketMonitor {
 public:
  // Watches `socket` (of `context`) for the ZMQ_EVENT_* bits in `events`.
  SocketMonitor(zmq::context_t& context, zmq::socket_t& socket, int events);
  ~SocketMonitor();
  SocketMonitor(const SocketMonitor&) = delete;
  SocketMonitor& operator=(const SocketMonitor&) = delete;

  // The events that have arrived, oldest first; never waits.
  std::vector<SocketEvent> take();
  // For zmq::poll: readable when an event waits.
  void* handle() const;

 private:
  std::unique_ptr<zmq::socket_t> pair_;
};

}  // namespace ipcbench
