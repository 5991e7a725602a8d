// The descriptions of LIST and STRUCT types (docs/types_and_functions.md,
// "Lists and structs").
//
// A LogicalType stays a few trivially copyable bytes: a nested type carries a
// 32-bit index into a process-wide registry that holds its element type or
// its fields. The registry is append-only and interns descriptions, so equal
// types get the same index and LogicalType::operator== compares indices.
//
// Thread safety: every function here may be called from any thread. Inserts
// take the registry's mutex; lookups do not lock (entries never move and are
// written before their index is handed out).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"

namespace basalt {

struct StructField {
  std::string name;
  LogicalType type;
  bool operator==(const StructField& o) const { return name == o.name && type == o.type; }
};

struct NestedTypeInfo {
  TypeId id = TypeId::kInvalid;      // kList or kStruct
  LogicalType child;                 // a LIST's element type
  std::vector<StructField> fields;   // a STRUCT's fields, in order
  int depth = 1;                     // nesting levels, this one included
};

// Deeper types are refused (54000): the value decoders recurse per level.
inline constexpr int kMaxNestingDepth = 32;

LogicalType ListType(const LogicalType& child);
// `fields` must be non-empty with distinct names (the caller reports 42701).
LogicalType StructType(std::vector<StructField> fields);

const NestedTypeInfo& NestedInfo(const LogicalType& type);
inline const LogicalType& ListChildType(const LogicalType& list) { return NestedInfo(list).child; }
inline const std::vector<StructField>& StructFields(const LogicalType& s) {
  return NestedInfo(s).fields;
}
// The field called `name`: an exact match first, then one ignoring case.
std::optional<size_t> StructFieldIndex(const LogicalType& s, std::string_view name);

// "INTEGER[]", "STRUCT(a INTEGER, \"b c\" VARCHAR[])".
std::string NestedTypeToString(const LogicalType& type);

// Parses what LogicalType::ToString prints, for any type (the metadata store
// keeps column types as this text); nullopt when it is not such a text.
std::optional<LogicalType> ParseTypeString(std::string_view text);

}  // namespace basalt
