#include "server/user_table.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace basalt {

std::unique_ptr<UserTable> UserTable::Load(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = fmt::format("cannot read users file \"{}\"", path);
    return nullptr;
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    *error = fmt::format("cannot read users file \"{}\"", path);
    return nullptr;
  }
  return Parse(text.str(), path, error);
}

std::unique_ptr<UserTable> UserTable::Parse(std::string_view text, const std::string& path,
                                            std::string* error) {
  std::unique_ptr<UserTable> table(new UserTable());
  table->mock_secret_ = RandomBytes(32);
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.starts_with('#')) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      *error =
          fmt::format("{}:{}: expected user:password or user:SCRAM-SHA-256$...", path, line_number);
      return nullptr;
    }
    std::string user(line.substr(0, colon));
    std::string_view secret = line.substr(colon + 1);
    ScramVerifier verifier;
    if (secret.empty()) {
      // As PostgreSQL, which never accepts an empty password.
      *error = fmt::format("{}:{}: user \"{}\" has an empty password", path, line_number, user);
      return nullptr;
    }
    if (secret.starts_with("SCRAM-SHA-256$")) {
      std::string parse_error;
      if (!ParseScramVerifier(secret, &verifier, &parse_error)) {
        *error = fmt::format("{}:{}: {}", path, line_number, parse_error);
        return nullptr;
      }
    } else {
      verifier = MakeScramVerifier(secret, RandomBytes(kScramSaltLength));
    }
    if (!table->verifiers_.emplace(user, std::move(verifier)).second) {
      *error = fmt::format("{}:{}: user \"{}\" appears twice", path, line_number, user);
      return nullptr;
    }
  }
  return table;
}

ScramVerifier UserTable::Find(std::string_view user, bool* exists) const {
  auto it = verifiers_.find(user);
  *exists = it != verifiers_.end();
  return *exists ? it->second : MockScramVerifier(user, mock_secret_);
}

}  // namespace basalt
