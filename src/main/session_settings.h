// One connection's settings: what SET, RESET and SHOW change and read, over
// defaults that PostgreSQL clients expect to find (DateStyle, TimeZone,
// client_encoding, ...). Each connection has its own, as in PostgreSQL: a
// SET in one session is not seen by another.
//
// Values are kept as text; unknown names are accepted the way PostgreSQL
// accepts custom settings and client tools' SETs. The few the engine reads
// (mem_limit, explain_instance_lines; file_split_size through the binder)
// are checked when SET, so a bad value fails at once with 22023.
// Not thread safe: one connection runs one statement at a time.
#pragma once

#include <cstdint>
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

  // Throws 22023 for a bad value of a setting the engine reads.
  void Set(const std::string& name, std::string value);
  // Back to the default; a setting without one disappears.
  void Reset(const std::string& name);
  // False when the setting is neither set nor has a default.
  bool Get(const std::string& name, std::string* value) const;
  // Every setting Get knows, by lower-case name (pg_catalog.pg_settings).
  std::vector<std::pair<std::string, std::string>> All() const;
  // Only those SET in this session (what a statement forwarded to another
  // node takes along).
  const std::map<std::string, std::string>& Changed() const { return values_; }
  // The settings a PostgreSQL server reports to a client at startup
  // (ParameterStatus), spelled as PostgreSQL does (DateStyle, TimeZone).
  std::vector<std::pair<std::string, std::string>> Reported() const;

  // mem_limit: the most a query may hold in each process running it, in
  // bytes; 0 (the default) for no limit (exec/memory_tracker.h).
  uint64_t MemoryLimit() const;
  // explain_instance_lines: at most this many per-instance lines per plan
  // node in EXPLAIN ANALYZE (default 16; 0 for none).
  int ExplainInstanceLines() const;

 private:
  // Both keyed by the lower-case name.
  std::map<std::string, std::string> defaults_;
  std::map<std::string, std::string> values_;  // set by SET
};

}  // namespace basalt
