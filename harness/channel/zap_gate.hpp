// Admission to a ZeroMQ data socket by a run's secret: a handler of ZAP (ZeroMQ's authentication
// hook) in the socket's context that lets through only a PLAIN handshake whose password is the
// secret. A peer without it never completes the handshake, so it never takes a PAIR's one place.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace zmq {
class context_t;
class socket_t;
}  // namespace zmq

namespace ipcbench {

inline constexpr const char* kZapUser = "ipcbench";

class ZapGate {
 public:
  // Binds the context's ZAP endpoint; a socket of `context` with ZMQ_PLAIN_SERVER set then asks it.
  ZapGate(zmq::context_t& context, std::string secret);
  ~ZapGate();  // stops answering; later handshakes fail
  ZapGate(const ZapGate&) = delete;
  ZapGate& operator=(const ZapGate&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ipcbench
