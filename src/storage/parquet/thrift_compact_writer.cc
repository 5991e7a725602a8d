#include "storage/parquet/thrift_compact_writer.h"

#include <bit>

namespace basalt::parquet {

void ThriftCompactWriter::WriteStructBegin() { last_field_id_.push_back(0); }

void ThriftCompactWriter::WriteStructEnd() {
  bytes_.push_back(static_cast<uint8_t>(CompactType::kStop));
  last_field_id_.pop_back();
}

void ThriftCompactWriter::FieldCode(uint8_t code, int16_t id) {
  const int delta = id - last_field_id_.back();
  if (delta > 0 && delta <= 15) {
    bytes_.push_back(static_cast<uint8_t>(delta << 4 | code));
  } else {
    bytes_.push_back(code);
    WriteI16(id);
  }
  last_field_id_.back() = id;
}

void ThriftCompactWriter::WriteFieldHeader(CompactType type, int16_t id) {
  FieldCode(static_cast<uint8_t>(type), id);
}

void ThriftCompactWriter::WriteVarint(uint64_t v) {
  while (v >= 0x80) {
    bytes_.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  bytes_.push_back(static_cast<uint8_t>(v));
}

void ThriftCompactWriter::WriteI64(int64_t v) {
  WriteVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void ThriftCompactWriter::WriteDouble(double v) {
  // Little-endian, unlike the binary protocol.
  const uint64_t bits = std::bit_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(bits >> (8 * i)));
}

void ThriftCompactWriter::WriteBinary(std::string_view bytes) {
  WriteVarint(bytes.size());
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

void ThriftCompactWriter::WriteListHeader(CompactType element_type, uint32_t size) {
  const uint8_t code = static_cast<uint8_t>(element_type);
  if (size < 15) {
    bytes_.push_back(static_cast<uint8_t>(size << 4 | code));
  } else {
    bytes_.push_back(static_cast<uint8_t>(0xf0 | code));
    WriteVarint(size);
  }
}

void ThriftCompactWriter::BoolField(int16_t id, bool v) { FieldCode(v ? 1 : 2, id); }

void ThriftCompactWriter::I32Field(int16_t id, int32_t v) {
  WriteFieldHeader(CompactType::kI32, id);
  WriteI32(v);
}

void ThriftCompactWriter::I64Field(int16_t id, int64_t v) {
  WriteFieldHeader(CompactType::kI64, id);
  WriteI64(v);
}

void ThriftCompactWriter::BinaryField(int16_t id, std::string_view bytes) {
  WriteFieldHeader(CompactType::kBinary, id);
  WriteBinary(bytes);
}

void ThriftCompactWriter::StructFieldBegin(int16_t id) {
  WriteFieldHeader(CompactType::kStruct, id);
  WriteStructBegin();
}

}  // namespace basalt::parquet
