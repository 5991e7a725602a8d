// An encoder of the Thrift compact protocol: the mirror of ThriftCompactReader
// (thrift_compact.h), used by the Parquet writer for page headers and the
// footer. It writes only well-formed output: field headers take the short
// form (a 4-bit id delta) when the delta allows it, as every Thrift writer
// does, and the long form otherwise.
//
// Usage mirrors the reader: WriteStructBegin, then for each field
// WriteFieldHeader and its value (or one of the *Field helpers), then
// WriteStructEnd, which writes the stop byte. Fields must be written in
// increasing id order for the short form to apply; any order is still valid.
//
// Not thread safe; one writer per buffer.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storage/parquet/thrift_compact.h"

namespace basalt::parquet {

class ThriftCompactWriter {
 public:
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t> Release() { return std::move(bytes_); }

  void WriteStructBegin();
  void WriteStructEnd();
  // Header of a field whose value follows. For a bool field use BoolField:
  // the compact protocol carries its value in the header.
  void WriteFieldHeader(CompactType type, int16_t id);

  void WriteByte(int8_t v) { bytes_.push_back(static_cast<uint8_t>(v)); }
  void WriteI16(int16_t v) { WriteI64(v); }
  void WriteI32(int32_t v) { WriteI64(v); }
  // Zigzag, then a varint.
  void WriteI64(int64_t v);
  void WriteDouble(double v);
  void WriteBinary(std::string_view bytes);
  // A bool element of a list: one byte, 1 true, 2 false.
  void WriteBool(bool v) { bytes_.push_back(v ? 1 : 2); }
  // Header of a list (or set) of `size` elements of `element_type`.
  void WriteListHeader(CompactType element_type, uint32_t size);
  void WriteVarint(uint64_t v);

  // Conveniences for the common field shapes.
  void BoolField(int16_t id, bool v);
  void I32Field(int16_t id, int32_t v);
  void I64Field(int16_t id, int64_t v);
  void BinaryField(int16_t id, std::string_view bytes);
  // A struct-typed field: the header and WriteStructBegin; close with
  // WriteStructEnd.
  void StructFieldBegin(int16_t id);

 private:
  void FieldCode(uint8_t code, int16_t id);

  std::vector<uint8_t> bytes_;
  // The last field id of each open struct; the bottom entry serves fields
  // written outside any struct.
  std::vector<int16_t> last_field_id_{0};
};

}  // namespace basalt::parquet
