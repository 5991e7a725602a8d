// A compiled LIKE / ILIKE pattern.
//
// '%' matches any run of characters, '_' exactly one UTF-8 character, and the
// escape character (default '\', as PostgreSQL; empty for none) makes the
// next character literal. Patterns are classified once so the usual shapes
// cost one comparison or one substring search per row:
//   'abc' exact, 'abc%' prefix, '%abc' suffix, '%abc%' contains,
//   '%a%b%' (no '_') literal segments found left to right with memmem,
// and anything with '_' runs an iterative matcher that backtracks only to
// the last '%', so its cost is bounded by pattern length x text length
// (no exponential blowup on patterns like '%a%a%a%a%b').
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

class LikeMatcher {
 public:
  // Throws 22019 when `escape` is longer than one character and 22025 when
  // the pattern ends with the escape character.
  LikeMatcher(std::string_view pattern, std::string_view escape, bool case_insensitive);

  bool Matches(std::string_view text) const;

 private:
  enum class Kind { kExact, kPrefix, kSuffix, kContains, kAnything, kSegments, kGeneral };
  static constexpr int16_t kAnyChar = -1;
  static constexpr int16_t kAnySequence = -2;

  bool MatchesFolded(std::string_view text) const;
  bool MatchSegments(std::string_view text) const;
  bool MatchGeneral(std::string_view text) const;

  Kind kind_ = Kind::kGeneral;
  bool case_insensitive_ = false;
  // Literal bytes for the fast shapes.
  std::string literal_;
  // kSegments: the literal runs between '%'; whether the pattern is anchored
  // at the start (no leading '%') and at the end (no trailing '%').
  std::vector<std::string> segments_;
  bool anchored_start_ = false;
  bool anchored_end_ = false;
  // kGeneral: literal bytes (0..255), kAnyChar and kAnySequence.
  std::vector<int16_t> tokens_;
};

}  // namespace basalt
