#include "remote/control_socket.hpp"

#include <zmq.hpp>

#include "remote/protocol.hpp"

namespace ipcbench {

void configure_control_socket(zmq::socket_t& socket, ControlRole role,
                              const std::optional<CurveKeys>& keys) {
  socket.set(zmq::sockopt::maxmsgsize, kMaxControlMessage);
  socket.set(zmq::sockopt::sndhwm, kControlQueue);
  socket.set(zmq::sockopt::rcvhwm, kControlQueue);
  socket.set(zmq::sockopt::heartbeat_ivl, static_cast<int>(kHeartbeatEvery.count()));
  socket.set(zmq::sockopt::heartbeat_timeout, static_cast<int>(kHeartbeatTimeout.count()));
  socket.set(zmq::sockopt::handshake_ivl, static_cast<int>(kHandshakeLimit.count()));
  if (!keys) return;
  if (role == ControlRole::server) {
    socket.set(zmq::sockopt::curve_server, true);
    socket.set(zmq::sockopt::curve_secretkey, keys->server_secret);
  } else {
    socket.set(zmq::sockopt::curve_serverkey, keys->server_public);
    socket.set(zmq::sockopt::curve_publickey, keys->client_public);
    socket.set(zmq::sockopt::curve_secretkey, keys->client_secret);
  }
}

}  // namespace ipcbench
