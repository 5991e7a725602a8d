#include "server/scram.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>
#include <climits>
#include <stdexcept>
#include <vector>

namespace basalt {

namespace {

constexpr size_t kKeyLength = SHA256_DIGEST_LENGTH;  // 32
constexpr size_t kServerNonceLength = 18;            // as PostgreSQL
constexpr std::string_view kPrefix = "SCRAM-SHA-256$";

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &length) == nullptr) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string Sha256(std::string_view data) {
  unsigned char out[kKeyLength];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), kKeyLength);
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// RFC 5802: a nonce is printable ASCII except ','.
bool IsValidNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

bool ParsePositiveInt(std::string_view text, int* out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && *out > 0;
}

std::vector<std::string_view> SplitCommas(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool Base64Decode(std::string_view text, std::string* out) {
  // EVP_DecodeBlock skips surrounding blanks and keeps padding bytes, so the
  // canonical form is checked here and the padding taken off afterwards.
  if (text.size() % 4 != 0) return false;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') {
      if (i + 2 < text.size()) return false;  // '=' only in the last two places
      ++padding;
    } else if (!IsBase64Char(c) || padding > 0) {
      return false;
    }
  }
  out->assign(3 * (text.size() / 4), '\0');
  if (text.empty()) return true;
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out->data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) < padding) return false;
  out->resize(static_cast<size_t>(n) - padding);
  return true;
}

std::string RandomBytes(size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("cannot generate random bytes (RAND_bytes failed)");
  }
  return out;
}

ScramVerifier MakeScramVerifier(std::string_view password, std::string_view salt, int iterations) {
  unsigned char salted[kKeyLength];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(), kKeyLength,
                        salted) != 1) {
    throw std::runtime_error("PBKDF2-HMAC-SHA-256 failed");
  }
  std::string salted_password(reinterpret_cast<char*>(salted), kKeyLength);
  OPENSSL_cleanse(salted, sizeof(salted));
  ScramVerifier verifier;
  verifier.iterations = iterations;
  verifier.salt = salt;
  verifier.stored_key = Sha256(Hmac(salted_password, "Client Key"));
  verifier.server_key = Hmac(salted_password, "Server Key");
  OPENSSL_cleanse(salted_password.data(), salted_password.size());
  return verifier;
}

bool ParseScramVerifier(std::string_view text, ScramVerifier* out, std::string* error) {
  auto fail = [&](const char* what) {
    *error = fmt::format(
        "invalid SCRAM-SHA-256 verifier: {} (expected "
        "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>)",
        what);
    return false;
  };
  if (!text.starts_with(kPrefix)) return fail("it must start with SCRAM-SHA-256$");
  text.remove_prefix(kPrefix.size());
  size_t dollar = text.find('$');
  if (dollar == std::string_view::npos) return fail("no '$' before the keys");
  std::string_view salt_part = text.substr(0, dollar);
  std::string_view key_part = text.substr(dollar + 1);
  size_t colon = salt_part.find(':');
  if (colon == std::string_view::npos) return fail("no ':' between iterations and salt");
  ScramVerifier verifier;
  if (!ParsePositiveInt(salt_part.substr(0, colon), &verifier.iterations)) {
    return fail("the iteration count is not a positive integer");
  }
  if (!Base64Decode(salt_part.substr(colon + 1), &verifier.salt) || verifier.salt.empty()) {
    return fail("the salt is not base64");
  }
  colon = key_part.find(':');
  if (colon == std::string_view::npos) return fail("no ':' between StoredKey and ServerKey");
  if (!Base64Decode(key_part.substr(0, colon), &verifier.stored_key) ||
      verifier.stored_key.size() != kKeyLength) {
    return fail("StoredKey is not 32 bytes of base64");
  }
  if (!Base64Decode(key_part.substr(colon + 1), &verifier.server_key) ||
      verifier.server_key.size() != kKeyLength) {
    return fail("ServerKey is not 32 bytes of base64");
  }
  *out = std::move(verifier);
  return true;
}

std::string FormatScramVerifier(const ScramVerifier& verifier) {
  return fmt::format("{}{}:{}${}:{}", kPrefix, verifier.iterations, Base64Encode(verifier.salt),
                     Base64Encode(verifier.stored_key), Base64Encode(verifier.server_key));
}

ScramVerifier MockScramVerifier(std::string_view user, std::string_view secret) {
  ScramVerifier verifier;
  verifier.iterations = kScramDefaultIterations;
  verifier.salt = Hmac(secret, fmt::format("salt:{}", user)).substr(0, kScramSaltLength);
  verifier.stored_key = Hmac(secret, fmt::format("stored:{}", user));
  verifier.server_key = Hmac(secret, fmt::format("server:{}", user));
  return verifier;
}

ScramServer::ScramServer(ScramVerifier verifier, std::string server_nonce)
    : verifier_(std::move(verifier)), server_nonce_(std::move(server_nonce)) {
  if (server_nonce_.empty()) server_nonce_ = Base64Encode(RandomBytes(kServerNonceLength));
}

ScramServer::Status ScramServer::HandleClientFirst(std::string_view message,
                                                   std::string* server_first, std::string* error) {
  auto malformed = [&](std::string detail) {
    *error = fmt::format("malformed SCRAM message: {}", detail);
    state_ = State::kDone;
    return Status::kProtocolError;
  };
  if (state_ != State::kExpectFirst) return malformed("unexpected client-first-message");
  // gs2-header: channel-binding flag, then an optional authorization identity.
  if (message.starts_with("p=")) {
    *error = "channel binding is not supported: the server offers only SCRAM-SHA-256";
    state_ = State::kDone;
    return Status::kProtocolError;
  }
  if (!message.starts_with("n,") && !message.starts_with("y,")) {
    return malformed("expected a channel-binding flag (n, y or p=)");
  }
  size_t second_comma = message.find(',', 2);
  if (second_comma == std::string_view::npos) return malformed("incomplete GS2 header");
  if (second_comma != 2) {
    *error = "SCRAM authorization identities are not supported";
    state_ = State::kDone;
    return Status::kProtocolError;
  }
  gs2_header_ = std::string(message.substr(0, 3));
  std::string_view bare = message.substr(3);
  std::vector<std::string_view> attributes = SplitCommas(bare);
  if (!attributes.empty() && attributes[0].starts_with("m=")) {
    return malformed("the client requires an unsupported SCRAM extension");
  }
  // The user name ("n=") is not used: PostgreSQL takes the startup packet's,
  // and libpq sends it empty.
  if (attributes.size() < 2 || !attributes[0].starts_with("n=") ||
      !attributes[1].starts_with("r=")) {
    return malformed("expected n=<user>,r=<nonce>");
  }
  std::string_view client_nonce = attributes[1].substr(2);
  if (!IsValidNonce(client_nonce)) return malformed("invalid client nonce");
  client_first_bare_ = std::string(bare);
  nonce_ = fmt::format("{}{}", client_nonce, server_nonce_);
  server_first_ =
      fmt::format("r={},s={},i={}", nonce_, Base64Encode(verifier_.salt), verifier_.iterations);
  *server_first = server_first_;
  state_ = State::kExpectFinal;
  return Status::kOk;
}

ScramServer::Status ScramServer::HandleClientFinal(std::string_view message,
                                                   std::string* server_final, std::string* error) {
  auto malformed = [&](std::string detail) {
    *error = fmt::format("malformed SCRAM message: {}", detail);
    state_ = State::kDone;
    return Status::kProtocolError;
  };
  if (state_ != State::kExpectFinal) return malformed("unexpected client-final-message");
  state_ = State::kDone;
  std::vector<std::string_view> attributes = SplitCommas(message);
  if (attributes.size() < 3 || !attributes[0].starts_with("c=") ||
      !attributes[1].starts_with("r=") || !attributes.back().starts_with("p=")) {
    return malformed("expected c=<binding>,r=<nonce>,...,p=<proof>");
  }
  std::string binding;
  if (!Base64Decode(attributes[0].substr(2), &binding) || binding != gs2_header_) {
    return malformed("the channel-binding data does not match the GS2 header");
  }
  if (attributes[1].substr(2) != nonce_) return malformed("the nonce does not match");
  std::string proof;
  if (!Base64Decode(attributes.back().substr(2), &proof) || proof.size() != kKeyLength) {
    return malformed("the proof is not 32 bytes of base64");
  }
  std::string_view without_proof = message.substr(0, message.size() - attributes.back().size() - 1);
  std::string auth_message =
      fmt::format("{},{},{}", client_first_bare_, server_first_, without_proof);

  std::string client_key = Hmac(verifier_.stored_key, auth_message);  // ClientSignature
  for (size_t i = 0; i < kKeyLength; ++i) client_key[i] ^= proof[i];
  std::string stored_key = Sha256(client_key);
  OPENSSL_cleanse(client_key.data(), client_key.size());
  if (CRYPTO_memcmp(stored_key.data(), verifier_.stored_key.data(), kKeyLength) != 0) {
    *error = "the SCRAM proof does not match";
    return Status::kFailed;
  }
  *server_final = fmt::format("v={}", Base64Encode(Hmac(verifier_.server_key, auth_message)));
  return Status::kOk;
}

}  // namespace basalt
