// The Thrift compact protocol as the Thrift project specifies it
// (doc/specs/thrift-compact-protocol.md there): varints, zigzag, field
// headers with a 4-bit id delta, 4-bit list sizes with a varint escape.
#include "storage/parquet/thrift_compact.h"

#include <bit>
#include <cstdint>
#include <limits>
#include <string>

namespace basalt::parquet {

void ThriftCompactReader::Fail(const std::string& what) const {
  throw ParquetDecodeError("thrift: " + what + " at byte " + std::to_string(pos_));
}

void ThriftCompactReader::Need(size_t n, const char* what) const {
  if (n > size_ - pos_) {
    Fail(std::string("truncated ") + what + " (" + std::to_string(n) + " bytes needed, " +
         std::to_string(size_ - pos_) + " left)");
  }
}

void ThriftCompactReader::Enter() {
  if (++nesting_ > kMaxDepth) {
    Fail("nesting deeper than " + std::to_string(kMaxDepth));
  }
}

CompactType ThriftCompactReader::ToType(uint8_t code, const char* what) const {
  switch (code) {
    case 1:
    case 2:
      return CompactType::kBool;
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 12:
    case 13:
      return static_cast<CompactType>(code);
    default:
      Fail(std::string("unknown type code ") + std::to_string(code) + " in " + what);
  }
}

size_t ThriftCompactReader::MinSize(CompactType type) {
  switch (type) {
    case CompactType::kStop:
      return 0;
    case CompactType::kDouble:
      return 8;
    case CompactType::kUuid:
      return 16;
    default:
      // A varint, a byte, a length, a collection header or a struct's stop.
      return 1;
  }
}

uint64_t ThriftCompactReader::ReadVarint() {
  uint64_t result = 0;
  for (int i = 0; i < 10; ++i) {
    if (pos_ >= size_) Fail("truncated varint");
    const uint8_t byte = data_[pos_++];
    // The tenth byte holds bit 63 only; more is overflow or an 11th byte.
    if (i == 9 && byte > 1) Fail("varint longer than 10 bytes or over 64 bits");
    result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return result;
  }
  Fail("varint longer than 10 bytes");  // not reached: the tenth byte returns or fails
}

void ThriftCompactReader::ReadStructBegin() {
  Enter();
  last_field_id_[struct_depth_++] = 0;
  pending_bool_ = 0;
}

void ThriftCompactReader::ReadStructEnd() {
  if (struct_depth_ == 0) Fail("struct end without a struct");
  --struct_depth_;
  --nesting_;
  pending_bool_ = 0;
}

FieldHeader ThriftCompactReader::ReadFieldHeader() {
  if (struct_depth_ == 0) Fail("field header outside a struct");
  pending_bool_ = 0;
  Need(1, "field header");
  const uint8_t byte = data_[pos_++];
  if (byte == 0) return FieldHeader{};
  const uint8_t code = byte & 0x0f;
  const uint8_t delta = byte >> 4;
  if (code == 0) Fail("field header of type 0 that is not a stop");
  FieldHeader header;
  header.type = ToType(code, "field header");
  int32_t id;
  if (delta != 0) {
    id = last_field_id_[struct_depth_ - 1] + delta;
    if (id > std::numeric_limits<int16_t>::max()) Fail("field id over 32767");
  } else {
    id = ReadI16();
  }
  header.id = static_cast<int16_t>(id);
  last_field_id_[struct_depth_ - 1] = header.id;
  // The bool's value travels in the header's type code.
  if (header.type == CompactType::kBool) pending_bool_ = code == 1 ? 2 : 1;
  return header;
}

bool ThriftCompactReader::ReadBool() {
  if (pending_bool_ != 0) {
    const bool value = pending_bool_ == 2;
    pending_bool_ = 0;
    return value;
  }
  Need(1, "bool");
  const uint8_t byte = data_[pos_++];
  // The specification says 0 is false; the Java and C++ writers write 2.
  if (byte == 1) return true;
  if (byte == 0 || byte == 2) return false;
  Fail("bool byte " + std::to_string(byte));
}

int8_t ThriftCompactReader::ReadByte() {
  Need(1, "byte");
  return static_cast<int8_t>(data_[pos_++]);
}

int16_t ThriftCompactReader::ReadI16() {
  const uint64_t v = ReadVarint();
  if (v > 0xffff) Fail("i16 varint out of range");
  const uint32_t u = static_cast<uint32_t>(v);
  return static_cast<int16_t>((u >> 1) ^ (0u - (u & 1)));
}

int32_t ThriftCompactReader::ReadI32() {
  const uint64_t v = ReadVarint();
  if (v > 0xffffffffull) Fail("i32 varint out of range");
  const uint32_t u = static_cast<uint32_t>(v);
  return static_cast<int32_t>((u >> 1) ^ (0u - (u & 1)));
}

int64_t ThriftCompactReader::ReadI64() {
  const uint64_t u = ReadVarint();
  return static_cast<int64_t>((u >> 1) ^ (0ull - (u & 1)));
}

double ThriftCompactReader::ReadDouble() {
  Need(8, "double");
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
  pos_ += 8;
  return std::bit_cast<double>(bits);
}

std::string_view ThriftCompactReader::ReadBinary() {
  const uint64_t length = ReadVarint();
  // A negative length written as a signed varint arrives here as a huge one.
  if (length > remaining()) {
    Fail("binary length " + std::to_string(length) + " past the end (" +
         std::to_string(remaining()) + " bytes left)");
  }
  std::string_view value(reinterpret_cast<const char*>(data_ + pos_), length);
  pos_ += length;
  return value;
}

ListHeader ThriftCompactReader::ReadListHeader() {
  pending_bool_ = 0;
  Need(1, "list header");
  const uint8_t byte = data_[pos_++];
  uint64_t size = byte >> 4;
  if (size == 15) {
    size = ReadVarint();
    if (size > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
      Fail("list size " + std::to_string(size) + " out of range");
    }
  }
  ListHeader header;
  header.size = static_cast<uint32_t>(size);
  // Writers differ in the type they give an empty list; it does not matter.
  if (size == 0) {
    const uint8_t code = byte & 0x0f;
    if (code >= 1 && code <= 13) header.element_type = ToType(code, "list header");
    return header;
  }
  header.element_type = ToType(byte & 0x0f, "list header");
  // Every element takes at least MinSize bytes: refuse before anyone loops.
  if (size * MinSize(header.element_type) > remaining()) {
    Fail("list of " + std::to_string(size) + " elements past the end (" +
         std::to_string(remaining()) + " bytes left)");
  }
  return header;
}

MapHeader ThriftCompactReader::ReadMapHeader() {
  pending_bool_ = 0;
  const uint64_t size = ReadVarint();
  if (size > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
    Fail("map size " + std::to_string(size) + " out of range");
  }
  MapHeader header;
  if (size == 0) return header;
  Need(1, "map types");
  const uint8_t byte = data_[pos_++];
  header.size = static_cast<uint32_t>(size);
  header.key_type = ToType(byte >> 4, "map header");
  header.value_type = ToType(byte & 0x0f, "map header");
  if (size * (MinSize(header.key_type) + MinSize(header.value_type)) > remaining()) {
    Fail("map of " + std::to_string(size) + " entries past the end (" +
         std::to_string(remaining()) + " bytes left)");
  }
  return header;
}

void ThriftCompactReader::Skip(CompactType type) {
  switch (type) {
    case CompactType::kStop:
      Fail("skip of a stop");
    case CompactType::kBool:
      ReadBool();
      return;
    case CompactType::kByte:
      ReadByte();
      return;
    case CompactType::kI16:
      ReadI16();
      return;
    case CompactType::kI32:
      ReadI32();
      return;
    case CompactType::kI64:
      ReadI64();
      return;
    case CompactType::kDouble:
      Need(8, "double");
      pos_ += 8;
      return;
    case CompactType::kUuid:
      Need(16, "uuid");
      pos_ += 16;
      return;
    case CompactType::kBinary:
      ReadBinary();
      return;
    case CompactType::kList:
    case CompactType::kSet: {
      const ListHeader header = ReadListHeader();
      Enter();
      for (uint32_t i = 0; i < header.size; ++i) Skip(header.element_type);
      --nesting_;
      return;
    }
    case CompactType::kMap: {
      const MapHeader header = ReadMapHeader();
      Enter();
      for (uint32_t i = 0; i < header.size; ++i) {
        Skip(header.key_type);
        Skip(header.value_type);
      }
      --nesting_;
      return;
    }
    case CompactType::kStruct: {
      ReadStructBegin();
      for (;;) {
        const FieldHeader field = ReadFieldHeader();
        if (field.type == CompactType::kStop) break;
        Skip(field.type);
      }
      ReadStructEnd();
      return;
    }
  }
  Fail("skip of unknown type " + std::to_string(static_cast<int>(type)));
}

}  // namespace basalt::parquet
