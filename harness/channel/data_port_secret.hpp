// Admission to a remote benchmark's data port: the client proves it is the one that asked for the
// run by sending the run's secret first (a tcp connection's first bytes, a udp hello, a zmq.tcp
// first message); anything else on the port is dropped. docs/remote-protocol.md has the format.
#pragma once

#include <chrono>
#include <span>
#include <string>

namespace ipcbench {

// How long a tcp connection may take to send the secret before it is dropped.
inline constexpr std::chrono::milliseconds kSecretWait{1000};

// Compares in time independent of where the bytes differ.
bool secret_matches(std::span<const char> received, const std::string& secret);

// Reads exactly secret.size() bytes from a stream socket within `limit`; true if they match.
bool stream_sent_secret(int fd, const std::string& secret, std::chrono::milliseconds limit);

}  // namespace ipcbench
