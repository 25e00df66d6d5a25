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
  // A burst of connections (1,100 idle ones in the tests) must not fill the accept queue: the
  // kernel would drop a real client's SYN and retry it only after 1, 3, 7 s. Beyond the connection
  // limit they are accepted and closed at once instead.
  if (role == ControlRole::server) socket.set(zmq::sockopt::backlog, kAcceptBacklog);
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
