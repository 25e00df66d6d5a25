// The shared token of `ipcbench serve` and `--remote`, and the CURVE keys both sides derive from
// it: the only thing a user hands around is the token file (docs/remote-protocol.md).
#pragma once

#include <string>

namespace ipcbench {

inline constexpr std::size_t kMinTokenLength = 16;

// The token a --token-file holds (its first line). Throws ProtocolError if the file is unreadable,
// readable by its group or others (naming chmod 600), or the token is shorter than 16 characters.
std::string read_token_file(const std::string& path);

// Z85 text, as ZeroMQ's CURVE options take it. The server's pair and the client's pair are both
// derived from the token (Argon2id, so each guess at a token costs a guesser a costly hash), so a
// party without the token cannot complete the handshake, and the token never crosses the wire.
struct CurveKeys {
  std::string server_public, server_secret;
  std::string client_public, client_secret;
};
CurveKeys curve_keys_from_token(const std::string& token);

}  // namespace ipcbench
