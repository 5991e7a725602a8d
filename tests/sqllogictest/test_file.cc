#include "test_file.h"

#include <charconv>
#include <utility>

namespace basalt::sqllogictest {

namespace {

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    // Files edited on Windows must not grow invisible characters in SQL or rows.
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  // A final newline does not make an extra (blank) line worth keeping.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::string_view TrimView(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

bool ParseInt(const std::string& text, int64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

// Reads lines from `*i` until a blank line, the end, or (when `stop_at_dashes`)
// a `----` line, which is consumed. Returns whether `----` was seen.
bool ReadBlock(const std::vector<std::string>& lines, size_t* i, bool stop_at_dashes,
               std::vector<std::string>* out) {
  while (*i < lines.size() && !IsBlank(lines[*i])) {
    if (stop_at_dashes && lines[*i] == "----") {
      ++*i;
      return true;
    }
    out->push_back(lines[*i]);
    ++*i;
  }
  return false;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t k = 0; k < lines.size(); ++k) {
    if (k > 0) out += '\n';
    out += lines[k];
  }
  return out;
}

// Skips the rest of a record the parser gave up on, so its SQL is not read as commands.
void SkipToBlank(const std::vector<std::string>& lines, size_t* i) {
  while (*i < lines.size() && !IsBlank(lines[*i])) ++*i;
}

}  // namespace

std::vector<std::string> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  return words;
}

std::vector<Record> ParseTestFile(std::string_view text) {
  std::vector<std::string> lines = SplitLines(text);
  std::vector<Record> records;
  // Conditions apply to the next record, whatever lines lie between.
  std::vector<std::string> skip_if;
  std::vector<std::string> only_if;

  size_t i = 0;
  while (i < lines.size()) {
    const std::string& line = lines[i];
    if (IsBlank(line) || line[0] == '#') {
      ++i;
      continue;
    }
    std::vector<std::string> words = SplitWords(line);
    const std::string& command = words[0];
    Record record;
    record.line = static_cast<int>(i) + 1;
    ++i;

    auto invalid = [&](std::string reason) {
      record.kind = RecordKind::kInvalid;
      record.argument = std::move(reason);
      SkipToBlank(lines, &i);
    };

    if (command == "skipif" || command == "onlyif") {
      if (words.size() < 2) {
        invalid(command + " needs an engine name");
      } else {
        (command == "skipif" ? skip_if : only_if).push_back(words[1]);
        continue;
      }
    } else if (command == "hash-threshold") {
      // Results are never hashed here, so the threshold means nothing.
      continue;
    } else if (command == "statement") {
      if (words.size() == 2 && words[1] == "ok") {
        record.kind = RecordKind::kStatementOk;
      } else if (words.size() >= 2 && words[1] == "error") {
        record.kind = RecordKind::kStatementError;
        // Everything after the word `error`, spaces inside kept: it may be a message part.
        std::string_view after = std::string_view(line).substr(line.find("error") + 5);
        record.expected_error = std::string(TrimView(after));
      } else {
        invalid("expected `statement ok` or `statement error`, got `" + line + "`");
      }
      if (record.kind != RecordKind::kInvalid) {
        std::vector<std::string> sql;
        bool has_dashes = ReadBlock(lines, &i, /*stop_at_dashes=*/true, &sql);
        record.sql = JoinLines(sql);
        std::vector<std::string> message;
        if (has_dashes) ReadBlock(lines, &i, /*stop_at_dashes=*/false, &message);
        if (record.sql.empty()) {
          invalid("statement without SQL");
        } else if (has_dashes && record.kind == RecordKind::kStatementOk) {
          invalid("`statement ok` cannot have expected output after ----");
        } else if (!message.empty() && !record.expected_error.empty()) {
          invalid("`statement error` has an expected message both on its line and after ----");
        } else if (!message.empty()) {
          record.expected_error = std::string(TrimView(JoinLines(message)));
        }
      }
    } else if (command == "query") {
      record.kind = RecordKind::kQuery;
      if (words.size() < 2) {
        invalid("`query` needs column types, e.g. `query IT`");
      } else {
        record.column_types = words[1];
        // A third word is the sort mode; DuckDB allows a label after it, which
        // we accept and ignore (labels only cross-check results between queries).
        if (words.size() >= 3) {
          if (words[2] == "nosort") {
            record.sort_mode = SortMode::kNoSort;
          } else if (words[2] == "rowsort") {
            record.sort_mode = SortMode::kRowSort;
          } else if (words[2] == "valuesort") {
            record.sort_mode = SortMode::kValueSort;
          }
        }
        std::vector<std::string> sql;
        if (ReadBlock(lines, &i, /*stop_at_dashes=*/true, &sql)) {
          ReadBlock(lines, &i, /*stop_at_dashes=*/false, &record.expected_lines);
        }
        record.sql = JoinLines(sql);
        if (record.sql.empty()) invalid("query without SQL");
      }
    } else if (command == "halt") {
      record.kind = RecordKind::kHalt;
    } else if (command == "restart") {
      record.kind = RecordKind::kRestart;
    } else if (command == "loop") {
      int64_t start = 0;
      int64_t end = 0;
      if (words.size() != 4 || !ParseInt(words[2], &start) || !ParseInt(words[3], &end)) {
        invalid("expected `loop <variable> <start> <end>`");
      } else {
        record.kind = RecordKind::kLoop;
        record.loop_variable = words[1];
        record.loop_start = start;
        record.loop_end = end;
      }
    } else if (command == "foreach") {
      if (words.size() < 3) {
        invalid("expected `foreach <variable> <value>...`");
      } else {
        record.kind = RecordKind::kForeach;
        record.loop_variable = words[1];
        record.foreach_values.assign(words.begin() + 2, words.end());
      }
    } else if (command == "endloop") {
      record.kind = RecordKind::kEndLoop;
    } else if (command == "mode") {
      if (words.size() >= 2 && words[1] == "skip") {
        record.kind = RecordKind::kModeSkip;
      } else if (words.size() >= 2 && words[1] == "unskip") {
        record.kind = RecordKind::kModeUnskip;
      } else {
        // Other modes (output_hash, debug, ...) change only how DuckDB reports.
        continue;
      }
    } else if (command == "require") {
      if (words.size() < 2) {
        invalid("`require` needs a feature name");
      } else {
        record.kind = RecordKind::kRequire;
        record.argument = words[1];
      }
    } else if (command == "require-env") {
      if (words.size() < 2) {
        invalid("`require-env` needs a variable name");
      } else {
        record.kind = RecordKind::kRequireEnv;
        record.argument = words[1];
      }
    } else {
      invalid("unknown command `" + command + "`");
    }

    record.skip_if = std::move(skip_if);
    record.only_if = std::move(only_if);
    skip_if.clear();
    only_if.clear();
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace basalt::sqllogictest
