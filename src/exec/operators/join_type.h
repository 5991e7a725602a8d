// The kinds of join the join operators implement.
#pragma once

#include <cstdint>

namespace basalt {

// kSemi and kAnti output only the probe side's columns: probe rows with at
// least one match (once each), and probe rows without any. A probe row whose
// key is NULL has no match, so kAnti keeps it (NOT EXISTS semantics).
enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kSemi, kAnti, kCross };

inline const char* JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "INNER";
    case JoinType::kLeft:
      return "LEFT";
    case JoinType::kRight:
      return "RIGHT";
    case JoinType::kFull:
      return "FULL";
    case JoinType::kSemi:
      return "SEMI";
    case JoinType::kAnti:
      return "ANTI";
    case JoinType::kCross:
      return "CROSS";
  }
  return "?";
}

// Whether the join's output carries the build side's columns.
inline bool JoinOutputsBuild(JoinType type) {
  return type != JoinType::kSemi && type != JoinType::kAnti;
}

}  // namespace basalt
