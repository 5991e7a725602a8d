#include "storage/json/json_records.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "common/exception.h"
#include "storage/csv_input_file.h"
#include "storage/json/json_error_location.h"

namespace basalt {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Whether the digits of an integer literal (no sign) exceed the magnitude
// simdjson reads as an integer: UINT64_MAX when positive, 2^63 when negative.
bool IsHugeInteger(std::string_view digits, bool negative) {
  std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
  if (digits.size() != limit.size()) return digits.size() > limit.size();
  return digits > limit;
}

// Copies `text` with ".0" after every integer literal too large for 64 bits,
// outside strings, so simdjson reads it as a double (as DuckDB does) rather
// than rejecting the document. False when there is none.
bool WidenHugeIntegers(std::string_view text, std::string* out) {
  out->clear();
  bool changed = false;
  bool in_string = false;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out->push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      i++;
      continue;
    }
    if (c == '"') in_string = true;
    if (c != '-' && !(c >= '0' && c <= '9')) {
      out->push_back(c);
      i++;
      continue;
    }
    size_t start = i;
    bool negative = c == '-';
    if (negative) i++;
    size_t digits = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') i++;
    std::string_view integer = text.substr(digits, i - digits);
    bool is_integer =
        i >= text.size() || (text[i] != '.' && text[i] != 'e' && text[i] != 'E');
    // A fraction or exponent follows: copy the rest of the number as it is.
    out->append(text.substr(start, i - start));
    if (is_integer && IsHugeInteger(integer, negative)) {
      out->append(".0");
      changed = true;
    }
  }
  return changed;
}

}  // namespace

JsonRecords::JsonRecords(std::string path)
    : path_(std::move(path)), parser_(std::make_unique<simdjson::dom::parser>()) {
  auto loaded = simdjson::padded_string::load(path_);
  if (loaded.error()) {
    ThrowError(sqlstate::kUndefinedFile, "could not read file \"{}\": {}", path_,
               simdjson::error_message(loaded.error()));
  }
  data_ = std::move(loaded).value_unsafe();
  Prepare();
}

void JsonRecords::Prepare() {
  size_t first = 0;
  while (first < data_.size() && IsBlank(data_.data()[first])) first++;
  // A UTF-8 byte order mark is not JSON, but editors write one.
  if (first == 0 && data_.size() >= 3 && std::memcmp(data_.data(), "\xEF\xBB\xBF", 3) == 0) {
    first = 3;
    while (first < data_.size() && IsBlank(data_.data()[first])) first++;
  }
  pos_ = first;
  // The skipped blanks may hold newlines; count them so line numbers match
  // what an editor shows.
  for (size_t i = 0; i < first; i++) line_ += data_.data()[i] == '\n';
  is_array_ = first < data_.size() && data_.data()[first] == '[';
  if (!is_array_) return;
  simdjson::dom::element root;
  auto error = Parse(data_.data() + first, data_.size() - first, &root);
  if (error) ThrowMalformed(error, first);
  if (root.get_array().get(array_)) ThrowMalformed(simdjson::INCORRECT_TYPE, first);
  next_ = array_.begin();
}

JsonRecords::JsonRecords(std::string path, uint64_t begin, uint64_t end)
    : path_(std::move(path)), parser_(std::make_unique<simdjson::dom::parser>()), begin_(begin) {
  InputFile file(path_);
  end = std::min<uint64_t>(end, file.size());
  if (begin >= end) return;
  data_ = simdjson::padded_string(static_cast<size_t>(end - begin));
  size_t got = file.ReadAt(data_.data(), end - begin, begin);
  // A file that shrank since the split was planned: read what is there.
  if (got < end - begin) data_ = simdjson::padded_string(data_.data(), got);
  // The first range holds what the whole file would: a byte order mark and
  // leading blanks (the scan splits only JSON lines, never an array).
  if (begin == 0) Prepare();
}

JsonRecords::~JsonRecords() = default;

bool JsonRecords::Next(simdjson::dom::object* out) {
  return is_array_ ? NextElement(out) : NextLine(out);
}

bool JsonRecords::NextLine(simdjson::dom::object* out) {
  const char* base = data_.data();
  const size_t size = data_.size();
  while (pos_ < size) {
    size_t start = pos_;
    const void* newline = std::memchr(base + start, '\n', size - start);
    size_t end = newline ? static_cast<const char*>(newline) - base : size;
    pos_ = newline ? end + 1 : size;
    line_++;
    size_t first = start;
    while (first < end && IsBlank(base[first])) first++;
    if (first == end) continue;
    // The rest of the file and the buffer's padding follow the line, so
    // simdjson may read past its end without a copy.
    simdjson::dom::element element;
    auto error = Parse(base + first, end - first, &element);
    if (error) ThrowMalformed(error, first);
    if (element.get_object().get(*out)) {
      ThrowError(sqlstate::kInvalidTextRepresentation,
                 "JSON record at line {} of file \"{}\" is not an object", FileLine(), path_);
    }
    return true;
  }
  return false;
}

bool JsonRecords::NextElement(simdjson::dom::object* out) {
  if (next_ == array_.end()) return false;
  simdjson::dom::element element = *next_;
  ++next_;
  record_++;
  if (element.get_object().get(*out)) {
    ThrowError(sqlstate::kInvalidTextRepresentation,
               "JSON record {} of file \"{}\" is not an object", record_, path_);
  }
  return true;
}

simdjson::error_code JsonRecords::Parse(const char* text, size_t size,
                                        simdjson::dom::element* out) {
  // `text` lies inside data_, whose bytes after it (the rest of the file and
  // the padding) let simdjson read past its end without a copy.
  auto error = parser_->parse(text, size, false).get(*out);
  if (error != simdjson::NUMBER_ERROR) return error;
  std::string widened;
  if (!WidenHugeIntegers(std::string_view(text, size), &widened)) return error;
  widened_ = simdjson::padded_string(widened);
  return parser_->parse(widened_).get(*out);
}

std::string JsonRecords::Location() const {
  return is_array_ ? fmt::format("record {}", record_) : fmt::format("line {}", FileLine());
}

uint64_t JsonRecords::FileLine() const {
  if (begin_ == 0) return line_;
  // Only messages need this, so the lines before the range are counted now.
  InputFile file(path_);
  constexpr size_t kChunk = size_t{1} << 20;
  auto chunk = std::make_unique_for_overwrite<char[]>(kChunk);
  uint64_t before = 0;
  for (uint64_t at = 0; at < begin_;) {
    size_t n = file.ReadAt(chunk.get(), std::min<uint64_t>(kChunk, begin_ - at), at);
    if (n == 0) break;
    before += std::count(chunk.get(), chunk.get() + n, '\n');
    at += n;
  }
  return before + line_;
}

void JsonRecords::ThrowMalformed(simdjson::error_code error, size_t offset) const {
  // simdjson's DOM parser does not say where in a document it failed, so the
  // offset is where that document starts: the line, or the whole array.
  if (is_array_) {
    // Looked for again, element by element (json_error_location.h).
    JsonErrorLocation where = LocateJsonArrayError(
        std::string_view(data_.data() + offset, data_.size() - offset));
    const size_t at = offset + where.offset;
    const uint64_t line = 1 + std::count(data_.data(), data_.data() + at, '\n');
    ThrowError(sqlstate::kInvalidTextRepresentation,
               "malformed JSON in file \"{}\" at line {} (byte offset {}), in the top-level "
               "array: {}",
               path_, line, at, simdjson::error_message(where.offset == 0 ? error : where.error));
  }
  ThrowError(sqlstate::kInvalidTextRepresentation,
             "malformed JSON in file \"{}\" at line {} (byte offset {}): {}", path_, FileLine(),
             begin_ + offset,
             simdjson::error_message(error));
}

}  // namespace basalt
