// The byte encoding of LIST and STRUCT values (docs/types_and_functions.md,
// "Lists and structs").
//
// A nested value is one byte string, kept in a vector as a StringRef like a
// VARCHAR, so every operator that moves, hashes or compares strings for
// equality handles it unchanged. The encoding is canonical (one value has one
// encoding), so byte equality is value equality:
//
//   list   := varint(n) bitmap(n) element*      (one element per valid bit)
//   struct := bitmap(fields) element*           (one element per valid field)
//   bitmap(k) := ceil(k / 8) bytes, bit i (LSB first) set when item i is not NULL
//   element := the value in its fixed-width little-endian form (BOOLEAN 1 byte
//              0/1, SMALLINT 2, INTEGER/DATE/REAL 4, BIGINT/TIMESTAMP/DOUBLE/
//              DECIMAL(p<=18) 8, DECIMAL(p>18) 16, INTERVAL 16: months, days,
//              micros), or varint(length) bytes for VARCHAR and nested values.
//              REAL and DOUBLE are written as = sees them: -0.0 as 0.0 and
//              every NaN as one quiet NaN. An INTERVAL is not normalized:
//              '1 day' and '24 hours' are different elements.
//
// Readers check every length against the bytes they are given and raise
// XX000 on a malformed value rather than reading past it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "common/vector.h"

namespace basalt {

void PutVarint(std::string* out, uint64_t v);

// Appends the element form of row `row` of `v` (which must not be NULL there).
void AppendElement(std::string* out, const LogicalType& type, const UnifiedFormat& v, idx_t row);
// Appends the element form of a non-null Value of `type`.
void AppendElementValue(std::string* out, const LogicalType& type, const Value& value);

// Collects the items of one list or struct value, in order.
class NestedBuilder {
 public:
  void AppendNull() { valid_.push_back(false); }
  // Marks the next item valid; append its element form to the string returned.
  std::string* AppendValid() {
    valid_.push_back(true);
    return &body_;
  }
  idx_t count() const { return valid_.size(); }
  void Clear() {
    valid_.clear();
    body_.clear();
  }
  // The encoded value; the builder is empty again afterwards.
  std::string FinishList();
  std::string FinishStruct();
  void FinishListInto(std::string* out);
  void FinishStructInto(std::string* out);

 private:
  void AppendBitmap(std::string* out) const;
  std::vector<bool> valid_;
  std::string body_;
};

// Walks the items of one encoded list or struct value.
class NestedReader {
 public:
  static NestedReader List(std::string_view bytes, const LogicalType& list_type);
  static NestedReader Struct(std::string_view bytes, const LogicalType& struct_type);

  idx_t count() const { return count_; }
  // The next item: false at the end. `payload` is the element form without
  // its length prefix (the bytes of a string or nested value).
  bool Next(bool* valid, std::string_view* payload);
  // The type of item `i` (the list's element type, or field i's type).
  const LogicalType& ItemType(idx_t i) const;

 private:
  NestedReader() = default;
  std::string_view rest_;
  const uint8_t* bitmap_ = nullptr;
  idx_t count_ = 0;
  idx_t next_ = 0;
  LogicalType list_child_;
  bool is_struct_ = false;
};

// An element's payload as a Value of `type`.
Value ElementToValue(const LogicalType& type, std::string_view payload);
// Writes an element's payload into row `row` of flat vector `out` (strings copied).
void StoreElement(Vector& out, idx_t row, std::string_view payload);

// DuckDB's text of a nested value: [1, 2, NULL], {'a': 1, 'b': x}; strings
// that would read ambiguously are quoted ('', 'a, b', 'NULL').
std::string NestedValueToString(const LogicalType& type, std::string_view bytes);

}  // namespace basalt
