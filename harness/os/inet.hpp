// IPv4 addresses and sockets for the remote peer (ipcbench serve): numeric addresses only, so a
// host name never turns into a DNS query, and waits bounded by a timeout.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <string>

#include "os/fd.hpp"

namespace ipcbench {

// "198.18.0.1" and a port; throws std::invalid_argument naming what is wrong.
sockaddr_in ipv4_address(const std::string& host, int port);

// A socket of `type` (SOCK_STREAM, SOCK_DGRAM) bound to host, on a port the kernel picks.
Fd bound_ipv4_socket(const std::string& host, int type);
int local_port(int fd);
// The numeric address of a connected socket's peer ("198.18.0.2"), or "" if it has none now.
std::string peer_address(int fd);
// Resets a tcp connection whose descriptor another part of the process owns (ZeroMQ's): the peer
// gets a reset at once and the owner's next read fails, so it closes the descriptor itself. A
// shutdown() would not do: Linux keeps queuing what a peer that never stops sending sends.
void reset_connection(int fd);

// Waits up to `timeout` for `fd` to become readable; false on timeout. EINTR consults the stall
// watchdog.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

}  // namespace ipcbench
