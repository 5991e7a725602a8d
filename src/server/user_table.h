// The users the server authenticates with SCRAM-SHA-256, read from
// `basalt server --users-file FILE`. Only verifiers are kept in memory; a
// plain-text password in the file is turned into one when it is loaded.
//
// File format, one user per line (blank lines and lines starting with '#'
// are ignored; the user name ends at the first ':'):
//   alice:secret password
//   bob:SCRAM-SHA-256$4096:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
// The second form is PostgreSQL's pg_authid.rolpassword, so verifiers can be
// copied from a PostgreSQL server. See docs/server.md.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "server/scram.h"

namespace basalt {

// Immutable after Load, so sessions share it without locking.
class UserTable {
 public:
  // Returns null and sets `error` ("FILE:LINE: what") when the file cannot
  // be read or a line is malformed.
  static std::unique_ptr<UserTable> Load(const std::string& path, std::string* error);
  // Parses the file's contents; `path` only names it in errors.
  static std::unique_ptr<UserTable> Parse(std::string_view text, const std::string& path,
                                          std::string* error);

  // The user's verifier, or a mock one when there is no such user (so that a
  // client learns nothing from the exchange); `*exists` tells which.
  ScramVerifier Find(std::string_view user, bool* exists) const;
  size_t size() const { return verifiers_.size(); }

 private:
  UserTable() = default;

  std::map<std::string, ScramVerifier, std::less<>> verifiers_;
  std::string mock_secret_;  // random, per process: see MockScramVerifier
};

}  // namespace basalt
