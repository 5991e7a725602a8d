// JsonRecords: the top-level records of one JSON file, one at a time, for
// the schema inference (json_schema.h) and the reader (json_reader.h).
//
// A file is either JSON lines (one object per line, blank lines skipped) or a
// single top-level array of objects; the first non-blank byte tells which
// ('[' means an array). The file is read whole into a padded buffer, which
// simdjson needs. Each line of a JSON lines file is parsed on its own, so a
// malformed line is reported by its line number and byte offset; an array
// file is parsed in one go, and its errors give where the array starts
// (simdjson's DOM parser does not say where it failed). Integer literals
// beyond 64 bits, which simdjson rejects, are read as doubles, as DuckDB does.
//
// Errors: 58P01 when the file cannot be read; 22P02 for malformed JSON or a
// record that is not an object, naming the file and where in it.
// Not thread-safe: one instance per reading thread.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>

namespace basalt {

class JsonRecords {
 public:
  explicit JsonRecords(std::string path);
  JsonRecords(const JsonRecords&) = delete;
  JsonRecords& operator=(const JsonRecords&) = delete;

  // The next record; false at the end of the file. The object lives in this
  // instance's parser and is invalidated by the next call.
  bool Next(simdjson::dom::object* out);

  // Where the record Next returned last is, for messages: "line 3" in a
  // JSON lines file, "record 3" (1-based) in an array file.
  std::string Location() const;
  const std::string& path() const { return path_; }
  bool is_array() const { return is_array_; }

 private:
  bool NextLine(simdjson::dom::object* out);
  bool NextElement(simdjson::dom::object* out);
  simdjson::error_code Parse(const char* text, size_t size, simdjson::dom::element* out);
  [[noreturn]] void ThrowMalformed(simdjson::error_code error, size_t offset) const;

  std::string path_;
  simdjson::padded_string data_;
  simdjson::dom::parser parser_;
  // A copy of a document with its huge integers made doubles (see Parse).
  simdjson::padded_string widened_;
  bool is_array_ = false;
  // JSON lines: where the next line starts and the number of the last one.
  size_t pos_ = 0;
  size_t line_ = 0;
  // Array files: the parsed array and the position in it.
  simdjson::dom::array array_;
  simdjson::dom::array::iterator next_;
  size_t record_ = 0;
};

}  // namespace basalt
