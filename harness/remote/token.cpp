#include "remote/token.hpp"

#include <sodium.h>
#include <sys/stat.h>
#include <zmq.h>

#include <array>
#include <fstream>

#include "remote/protocol.hpp"

namespace ipcbench {
namespace {

using Key = std::array<unsigned char, crypto_scalarmult_SCALARBYTES>;

// The salt is fixed: the keys must come out the same on both hosts from the token alone. It names
// the protocol, so a token reused elsewhere derives other keys.
constexpr char kSalt[crypto_pwhash_SALTBYTES + 1] = "ipcbench-curve-2";

std::string z85(const unsigned char* key) {
  char text[41] = {};
  if (!zmq_z85_encode(text, key, 32)) throw ProtocolError("cannot encode a CURVE key");
  return text;
}

void derive_pair(const unsigned char* secret, std::string& public_text, std::string& secret_text) {
  Key pub{};
  if (crypto_scalarmult_base(pub.data(), secret) != 0) {
    throw ProtocolError("cannot derive a CURVE key from the token");
  }
  public_text = z85(pub.data());
  secret_text = z85(secret);
}

}  // namespace

std::string read_token_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw ProtocolError("--token-file: cannot read '" + path + "'");
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    throw ProtocolError("--token-file: '" + path + "' can be read by other users; run: chmod 600 " +
                        path);
  }
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) {
    throw ProtocolError("--token-file: cannot read '" + path + "'");
  }
  if (token.size() < kMinTokenLength) {
    throw ProtocolError("--token-file: the token in '" + path + "' has " +
                        std::to_string(token.size()) + " characters; use at least " +
                        std::to_string(kMinTokenLength) +
                        ", e.g. head -c 24 /dev/urandom | base64 > " + path);
  }
  return token;
}

CurveKeys curve_keys_from_token(const std::string& token) {
  if (sodium_init() < 0) throw ProtocolError("libsodium cannot start");
  std::array<unsigned char, 64> seed{};
  if (crypto_pwhash(seed.data(), seed.size(), token.data(), token.size(),
                    reinterpret_cast<const unsigned char*>(kSalt),
                    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw ProtocolError("not enough memory to derive the keys from the token");
  }
  CurveKeys keys;
  derive_pair(seed.data(), keys.server_public, keys.server_secret);
  derive_pair(seed.data() + 32, keys.client_public, keys.client_secret);
  sodium_memzero(seed.data(), seed.size());
  return keys;
}

}  // namespace ipcbench
