// A decoder of the Thrift compact protocol, the encoding of every Parquet
// metadata structure (the footer, page headers). Basalt reads Parquet without
// the Thrift library, so this is the whole of Thrift it needs: a pull reader
// that the decoders of parquet_metadata.cc drive field by field.
//
// Contract: the reader never reads outside [data, data + size). Anything
// malformed (a truncated value, a varint over 10 bytes or out of its type's
// range, a length past the end, an unknown type code, nesting deeper than
// kMaxDepth) raises ParquetDecodeError naming the byte offset. Sizes are
// checked against the bytes left before anything is allocated or looped
// over: every element of a list or map takes at least one byte, so a list
// claiming 2^31 elements in a 1 KiB buffer fails at its header, and skipping
// anything takes time linear in the bytes it consumes.
//
// Not thread safe; one reader per buffer. The buffer must outlive the reader
// and every string_view it returned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/parquet/parquet_error.h"

namespace basalt::parquet {

// The type codes of the compact protocol. In a field header the boolean's
// value is the type (1 true, 2 false); the reader reports both as kBool and
// keeps the value for ReadBool. In a list header 1 and 2 both mean bool.
enum class CompactType : uint8_t {
  kStop = 0,
  kBool = 1,
  kByte = 3,  // i8: one byte, as is
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,  // binary and string
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,  // 16 bytes; newer Thrift, never in parquet.thrift, but skippable
};

// A field of a struct; type kStop (id 0) marks the struct's end.
struct FieldHeader {
  CompactType type = CompactType::kStop;
  int16_t id = 0;
};

// Also the header of a set, which is encoded the same way.
struct ListHeader {
  CompactType element_type = CompactType::kStop;
  uint32_t size = 0;
};

// An empty map has no type byte; its key and value types are then kStop.
struct MapHeader {
  CompactType key_type = CompactType::kStop;
  CompactType value_type = CompactType::kStop;
  uint32_t size = 0;
};

class ThriftCompactReader {
 public:
  // Nesting of structs, lists, sets and maps deeper than this is refused;
  // parquet.thrift nests about six deep, and the limit bounds the recursion
  // of Skip on hostile input.
  static constexpr int kMaxDepth = 64;

  ThriftCompactReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // Bytes consumed so far (a page header's length once its struct is read).
  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }

  // A struct: ReadStructBegin, then ReadFieldHeader and the field's value
  // (or Skip(header.type)) until a kStop header, then ReadStructEnd. Field
  // ids are delta-encoded within each struct, so these keep a stack of the
  // last id.
  void ReadStructBegin();
  void ReadStructEnd();
  FieldHeader ReadFieldHeader();

  // The value of a bool field just announced by ReadFieldHeader, or else a
  // bool element of a list (one byte: 1 true, 0 or 2 false).
  bool ReadBool();
  int8_t ReadByte();
  int16_t ReadI16();
  int32_t ReadI32();
  int64_t ReadI64();
  double ReadDouble();
  // Binary or string: a length, then that many bytes. The view points into
  // the reader's buffer.
  std::string_view ReadBinary();
  std::string ReadString() { return std::string(ReadBinary()); }

  // The header of a list or set; read size elements of element_type next.
  // Does not count as nesting: callers that read elements know their depth.
  ListHeader ReadListHeader();
  // The header of a map; read size (key, value) pairs next.
  MapHeader ReadMapHeader();

  // Consumes one value of `type`, whatever it holds (unknown fields).
  void Skip(CompactType type);

  // An unsigned LEB128 varint of at most 10 bytes that fits in 64 bits.
  uint64_t ReadVarint();

  // Raises ParquetDecodeError: "thrift: <what> at byte <position>".
  [[noreturn]] void Fail(const std::string& what) const;

 private:
  // Checks that `n` more bytes exist.
  void Need(size_t n, const char* what) const;
  CompactType ToType(uint8_t code, const char* what) const;
  // Minimum encoded size of a value of `type`, for the size checks.
  static size_t MinSize(CompactType type);
  void Enter();

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  // Open structs, and lists, sets and maps being skipped; at most kMaxDepth.
  int nesting_ = 0;
  // Last field id of each open struct: [0, struct_depth_).
  int16_t last_field_id_[kMaxDepth] = {};
  int struct_depth_ = 0;
  // A bool field's value, carried by its header: 0 none, 1 false, 2 true.
  uint8_t pending_bool_ = 0;
};

}  // namespace basalt::parquet
