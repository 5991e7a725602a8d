// A Thrift compact protocol encoder for the tests of thrift_compact and
// parquet_metadata only (the writer's is thrift_compact_writer.h, which
// writes only well-formed output). It writes exactly what
// a test asks for, valid or not (raw bytes, any field id or list size), so
// tests can build both well-formed structures and damaged ones.
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>
#include <vector>

#include "storage/parquet/thrift_compact.h"

namespace basalt::parquet::testing {

class TestEncoder {
 public:
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }

  TestEncoder& Raw(std::initializer_list<uint8_t> raw) {
    bytes_.insert(bytes_.end(), raw.begin(), raw.end());
    return *this;
  }
  TestEncoder& Varint(uint64_t v) {
    while (v >= 0x80) {
      bytes_.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    bytes_.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  TestEncoder& I16(int16_t v) { return I32(v); }
  TestEncoder& I32(int32_t v) {
    return Varint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
  }
  TestEncoder& I64(int64_t v) {
    return Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  TestEncoder& Double(double d) {
    const uint64_t bits = std::bit_cast<uint64_t>(d);
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(bits >> (8 * i)));
    return *this;
  }
  TestEncoder& Binary(std::string_view s) {
    Varint(s.size());
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
  }

  // Structs: Begin, fields, End (which writes the stop).
  TestEncoder& Begin() {
    last_id_.push_back(0);
    return *this;
  }
  TestEncoder& End() {
    bytes_.push_back(0);
    last_id_.pop_back();
    return *this;
  }
  // A field header, in the short form when the id delta allows it (as
  // writers do) unless `long_form`.
  TestEncoder& Field(CompactType type, int16_t id, bool long_form = false) {
    return FieldCode(static_cast<uint8_t>(type), id, long_form);
  }
  TestEncoder& BoolField(int16_t id, bool value) { return FieldCode(value ? 1 : 2, id, false); }
  TestEncoder& I32Field(int16_t id, int32_t v) { return Field(CompactType::kI32, id).I32(v); }
  TestEncoder& I64Field(int16_t id, int64_t v) { return Field(CompactType::kI64, id).I64(v); }
  TestEncoder& BinaryField(int16_t id, std::string_view s) {
    return Field(CompactType::kBinary, id).Binary(s);
  }
  // A struct-typed field; close it with End().
  TestEncoder& StructField(int16_t id) { return Field(CompactType::kStruct, id).Begin(); }
  TestEncoder& ListField(int16_t id, CompactType element, uint32_t size) {
    return Field(CompactType::kList, id).List(element, size);
  }

  TestEncoder& List(CompactType element, uint32_t size) {
    const uint8_t code = static_cast<uint8_t>(element);
    if (size < 15) {
      bytes_.push_back(static_cast<uint8_t>(size << 4 | code));
    } else {
      bytes_.push_back(static_cast<uint8_t>(0xf0 | code));
      Varint(size);
    }
    return *this;
  }
  TestEncoder& Map(CompactType key, CompactType value, uint32_t size) {
    Varint(size);
    if (size > 0) {
      bytes_.push_back(
          static_cast<uint8_t>(static_cast<uint8_t>(key) << 4 | static_cast<uint8_t>(value)));
    }
    return *this;
  }

 private:
  TestEncoder& FieldCode(uint8_t code, int16_t id, bool long_form) {
    const int delta = id - last_id_.back();
    if (!long_form && delta > 0 && delta <= 15) {
      bytes_.push_back(static_cast<uint8_t>(delta << 4 | code));
    } else {
      bytes_.push_back(code);
      I16(id);
    }
    last_id_.back() = id;
    return *this;
  }

  std::vector<uint8_t> bytes_;
  std::vector<int16_t> last_id_{0};  // a top-level entry for fields written without Begin
};

}  // namespace basalt::parquet::testing
