// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it for password
// authentication: the verifier a server stores instead of the password, and
// the server's side of one exchange. Channel binding (SCRAM-SHA-256-PLUS) is
// not offered. Hashing, HMAC, PBKDF2, base64 and random bytes come from
// OpenSSL. See docs/server.md ("Authentication").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

// What the server keeps for one user, never the password itself. The text
// form is PostgreSQL's (pg_authid.rolpassword):
//   SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
struct ScramVerifier {
  int iterations = 0;
  std::string salt;        // raw bytes
  std::string stored_key;  // H(HMAC(SaltedPassword, "Client Key")), 32 bytes
  std::string server_key;  // HMAC(SaltedPassword, "Server Key"), 32 bytes
};

inline constexpr int kScramDefaultIterations = 4096;  // PostgreSQL's default
inline constexpr size_t kScramSaltLength = 16;

// Base64 (RFC 4648, with padding, no line breaks).
std::string Base64Encode(std::string_view data);
// False when `text` is not canonical base64.
bool Base64Decode(std::string_view text, std::string* out);

// `count` cryptographically random bytes; throws std::runtime_error when the
// system cannot provide them.
std::string RandomBytes(size_t count);

// Derives the verifier of `password` with `salt`. The password is used as
// its bytes: SASLprep is not applied, which only matters for non-ASCII passwords.
ScramVerifier MakeScramVerifier(std::string_view password, std::string_view salt,
                                int iterations = kScramDefaultIterations);
// Parses the text form; false (and `error`) when it is malformed.
bool ParseScramVerifier(std::string_view text, ScramVerifier* out, std::string* error);
std::string FormatScramVerifier(const ScramVerifier& verifier);

// The server's side of one SCRAM-SHA-256 exchange:
//   client-first-message  -> HandleClientFirst -> server-first-message
//   client-final-message  -> HandleClientFinal -> server-final-message
// A failed proof is kFailed; anything malformed is kProtocolError, with a
// message for the client. For a user who does not exist the caller passes a
// mock verifier (MockScramVerifier), so the exchange looks the same and only
// fails at the proof. Not thread safe; one object per exchange.
class ScramServer {
 public:
  enum class Status { kOk, kFailed, kProtocolError };

  // `server_nonce` is for tests (RFC 7677's example); empty draws 18 random bytes.
  explicit ScramServer(ScramVerifier verifier, std::string server_nonce = "");

  Status HandleClientFirst(std::string_view message, std::string* server_first, std::string* error);
  Status HandleClientFinal(std::string_view message, std::string* server_final, std::string* error);

 private:
  enum class State { kExpectFirst, kExpectFinal, kDone };

  ScramVerifier verifier_;
  std::string server_nonce_;
  State state_ = State::kExpectFirst;
  std::string gs2_header_;         // "n,," or "y,,"
  std::string client_first_bare_;  // "n=<user>,r=<client nonce>"
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
};

// A verifier for a user that does not exist: its salt depends only on the
// user name and `secret`, so repeated attempts see the same salt, as for a
// real user; no password matches it.
ScramVerifier MockScramVerifier(std::string_view user, std::string_view secret);

}  // namespace basalt
