// One connection's settings: what SET, RESET and SHOW change and read, over
// defaults that PostgreSQL clients expect to find (DateStyle, TimeZone,
// client_encoding, ...). Each connection has its own, as in PostgreSQL: a
// SET in one session is not seen by another.
//
// Values are kept as text; nothing in the engine reads them yet except SHOW,
// pg_settings and the startup ParameterStatus, so unknown names are accepted
// the way PostgreSQL accepts custom settings and client tools' SETs.
// Not thread safe: one connection runs one statement at a time.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace basalt {

class SessionSettings {
 public:
  // `threads` is the database's worker count, shown as the read-only
  // setting "threads".
  explicit SessionSettings(int threads);

  void Set(const std::string& name, std::string value);
  // Back to the default; a setting without one disappears.
  void Reset(const std::string& name);
  // False when the setting is neither set nor has a default.
  bool Get(const std::string& name, std::string* value) const;
  // Every setting Get knows, by lower-case name (pg_catalog.pg_settings).
  std::vector<std::pair<std::string, std::string>> All() const;
  // The settings a PostgreSQL server reports to a client at startup
  // (ParameterStatus), spelled as PostgreSQL does (DateStyle, TimeZone).
  std::vector<std::pair<std::string, std::string>> Reported() const;

 private:
  // Both keyed by the lower-case name.
  std::map<std::string, std::string> defaults_;
  std::map<std::string, std::string> values_;  // set by SET
};

}  // namespace basalt
