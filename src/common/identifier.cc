#include "common/identifier.h"

#include <algorithm>
#include <array>

namespace basalt {
namespace {

// Sorted (checked below), so lookups can use binary search.
// clang-format off
constexpr std::array kReserved = std::to_array<std::string_view>({
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "both", "case", "cast",
    "check", "collate", "column", "constraint", "create", "cross", "current_date",
    "current_timestamp", "default", "desc", "distinct", "do", "else", "end", "except", "exists",
    "false", "fetch", "for", "foreign", "from", "full", "grant", "group", "having", "ilike", "in",
    "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like",
    "limit", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
    "primary", "references", "returning", "right", "select", "similar", "some", "table", "then",
    "to", "trailing", "true", "union", "unique", "using", "variadic", "when", "where", "window",
    "with",
});
// clang-format on
static_assert(std::is_sorted(kReserved.begin(), kReserved.end()));

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty()) return false;
  char first = name[0];
  if (!((first >= 'a' && first <= 'z') || first == '_')) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool IsReservedKeyword(std::string_view word) {
  return std::binary_search(kReserved.begin(), kReserved.end(), word);
}

std::string QuoteIdentifier(std::string_view name) {
  if (IsPlainIdentifier(name) && !IsReservedKeyword(name)) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace basalt
