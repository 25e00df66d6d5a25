// The settings both ends of the control connection share: CURVE keys when there is a token,
// heartbeats so a vanished peer is noticed within seconds, and bounds on every queue and message.
#pragma once

#include <chrono>
#include <optional>

#include "remote/token.hpp"

namespace zmq {
class socket_t;
}  // namespace zmq

namespace ipcbench {

// A ping every half second; a peer that has sent nothing for 2.5 s after one is gone, noticed
// within about 3 s (docs/remote.md has what was measured between namespaces).
inline constexpr std::chrono::milliseconds kHeartbeatEvery{500};
inline constexpr std::chrono::milliseconds kHeartbeatTimeout{2500};
// A connection that has not finished its handshake (a wrong token, or no ZeroMQ at all) by then
// is dropped.
inline constexpr std::chrono::milliseconds kHandshakeLimit{2000};
// Messages queued per connection, each way: one request and its reply are all a session needs.
inline constexpr int kControlQueue = 16;

// Connections the kernel queues for the server before it accepts them (capped by somaxconn).
inline constexpr int kAcceptBacklog = 1024;

enum class ControlRole { server, client };

// Applies the shared settings; with keys, CURVE as `role` (the server's secret key, or the
// client's pair and the server's public key).
void configure_control_socket(zmq::socket_t& socket, ControlRole role,
                              const std::optional<CurveKeys>& keys);

}  // namespace ipcbench
