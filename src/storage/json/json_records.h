// JsonRecords: the top-level records of one JSON file, one at a time, for
// the schema inference (json_schema.h) and the reader (json_reader.h).
//
// A file is either JSON lines (one object per line, blank lines skipped) or a
// single top-level array of objects; the first non-blank byte tells which
// ('[' means an array). The file is read whole into a padded buffer, which
// simdjson needs. Each line of a JSON lines file is parsed on its own, so a
// malformed line is reported by its line number and byte offset; an array
// file is parsed in one go, and since simdjson's DOM parser does not say
// where it failed, its errors are located element by element afterwards
// (json_error_location.h). Integer literals
// beyond 64 bits, which simdjson rejects, are read as doubles, as DuckDB does.
//
// Errors: 58P01 when the file cannot be read; 22P02 for malformed JSON or a
// record that is not an object, naming the file and where in it.
// Not thread-safe: one instance per reading thread.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace basalt {

class JsonRecords {
 public:
  explicit JsonRecords(std::string path);
  // Only the lines of [begin, end) of a JSON lines file, where both are line
  // starts (storage/csv_split.h, FindLineStart), for a scan
  // that splits a large file across threads. Messages still give the line
  // number in the whole file (counted, on the error path only, by reading
  // the bytes before `begin`) and byte offsets from the file's start.
  JsonRecords(std::string path, uint64_t begin, uint64_t end);
  ~JsonRecords();
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
  // Skips a byte order mark and leading blanks and tells lines from an
  // array, once data_ holds the file from its start.
  void Prepare();
  bool NextLine(simdjson::dom::object* out);
  bool NextElement(simdjson::dom::object* out);
  simdjson::error_code Parse(const char* text, size_t size, simdjson::dom::element* out);
  [[noreturn]] void ThrowMalformed(simdjson::error_code error, size_t offset) const;
  // The number of the current line in the whole file.
  uint64_t FileLine() const;

  std::string path_;
  simdjson::padded_string data_;
  // Behind a pointer, and the destructor out of line, because the parser's
  // layout depends on whether the including file is compiled with -pthread
  // (SIMDJSON_THREADS_ENABLED adds members): the unit tests are, the
  // libraries are not, and an inline destructor from the tests then freed
  // the wrong fields.
  std::unique_ptr<simdjson::dom::parser> parser_;
  // A copy of a document with its huge integers made doubles (see Parse).
  simdjson::padded_string widened_;
  bool is_array_ = false;
  // JSON lines: where the next line starts and the number of the last one.
  size_t pos_ = 0;
  size_t line_ = 0;  // counted from begin_
  // Where data_ starts in the file (0 unless reading a range).
  uint64_t begin_ = 0;
  // Array files: the parsed array and the position in it.
  simdjson::dom::array array_;
  simdjson::dom::array::iterator next_;
  size_t record_ = 0;
};

}  // namespace basalt
