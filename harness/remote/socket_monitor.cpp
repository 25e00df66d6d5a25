#include "remote/socket_monitor.hpp"

#include <atomic>
#include <cstring>
#include <string>
#include <zmq.hpp>

namespace ipcbench {
namespace {

std::string next_endpoint() {
  static std::atomic<int> counter{0};
  return "inproc://ipcbench-monitor-" + std::to_string(counter++);
}

}  // namespace

SocketMonitor::SocketMonitor(zmq::context_t& context, zmq::socket_t& socket, int events) {
  const std::string endpoint = next_endpoint();
  if (zmq_socket_monitor(static_cast<void*>(socket), endpoint.c_str(), events) != 0) {
    throw zmq::error_t();
  }
  pair_ = std::make_unique<zmq::socket_t>(context, zmq::socket_type::pair);
  pair_->set(zmq::sockopt::linger, 0);
  pair_->connect(endpoint);
}

SocketMonitor::~SocketMonitor() = default;

void* SocketMonitor::handle() const { return static_cast<void*>(*pair_); }

std::vector<SocketEvent> SocketMonitor::take() {
  std::vector<SocketEvent> events;
  for (;;) {
    zmq::message_t head;
    if (!pair_->recv(head, zmq::recv_flags::dontwait)) return events;
    while (head.more()) {  // the second frame (the endpoint's address) is not needed
      zmq::message_t rest;
      if (!pair_->recv(rest)) break;
      if (!rest.more()) break;
    }
    if (head.size() < 6) continue;
    SocketEvent e;
    std::memcpy(&e.type, head.data(), sizeof e.type);
    std::memcpy(&e.value, static_cast<const char*>(head.data()) + 2, sizeof e.value);
    events.push_back(e);
  }
}

}  // namespace ipcbench
