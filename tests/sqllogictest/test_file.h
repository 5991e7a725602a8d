// The sqllogictest file format, as SQLite defined it and DuckDB extended it:
// a file is a list of records separated by blank lines, each record a command
// line followed by SQL and, for queries, `----` and the expected rows.
//
// Parsing is separate from running so that the format can be unit tested
// without an engine, and so that a malformed command is reported once, at
// its line, instead of derailing every record after it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace basalt::sqllogictest {

enum class RecordKind {
  kStatementOk,     // SQL must succeed
  kStatementError,  // SQL must fail; `expected_error`, when set, must be in "<code>: <message>"
  kQuery,           // SQL must return `expected_lines`
  kHalt,            // stop running this file
  kRestart,         // close the database and open it again (same data directory)
  kLoop,            // `loop var start end`: var takes start .. end-1
  kForeach,         // `foreach var a b c`: var takes each listed value
  kEndLoop,
  kModeSkip,        // skip records until `mode unskip`
  kModeUnskip,
  kRequire,         // skip the rest of the file unless `argument` is supported
  kRequireEnv,      // skip the rest of the file unless environment variable `argument` is set
  kInvalid,         // a line the parser did not understand; `argument` says why
};

enum class SortMode {
  kNoSort,     // rows compared in the order the engine returned them
  kRowSort,    // rows sorted (both sides) before comparing
  kValueSort,  // every value sorted on its own (both sides) before comparing
};

struct Record {
  RecordKind kind = RecordKind::kInvalid;
  // 1-based line of the command, for messages.
  int line = 0;
  std::string sql;
  // kStatementError: the text after `statement error` on its line, or the
  // lines after `----`; empty means any error is accepted.
  std::string expected_error;
  // kQuery: one letter per result column (I, R, T, B, ... ).
  std::string column_types;
  SortMode sort_mode = SortMode::kNoSort;
  // kQuery: the lines after `----`, each a row of TAB-separated values (or,
  // in SQLite's older layout, one value per line).
  std::vector<std::string> expected_lines;
  // Engines named by `skipif` / `onlyif` lines before the command.
  std::vector<std::string> skip_if;
  std::vector<std::string> only_if;
  // kLoop / kForeach.
  std::string loop_variable;
  int64_t loop_start = 0;
  int64_t loop_end = 0;
  std::vector<std::string> foreach_values;
  // kRequire / kRequireEnv: the feature or variable; kInvalid: the reason.
  std::string argument;
};

// Splits `text` into records. Never fails: lines it cannot make sense of
// become kInvalid records so the runner reports them as failures.
std::vector<Record> ParseTestFile(std::string_view text);

// Splits a line on whitespace (spaces and tabs).
std::vector<std::string> SplitWords(std::string_view line);

}  // namespace basalt::sqllogictest
