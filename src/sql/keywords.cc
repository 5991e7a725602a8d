#include "sql/keywords.h"

#include <algorithm>
#include <array>

namespace basalt::sql {
namespace {

// Sorted (checked below), so lookups can use binary search.
// clang-format off
constexpr std::array kNonAliasExtra = std::to_array<std::string_view>({
    "between", "escape", "filter", "nulls", "over", "qualify", "within",
});
// clang-format on
static_assert(std::is_sorted(kNonAliasExtra.begin(), kNonAliasExtra.end()));

}  // namespace

bool IsNonAliasKeyword(std::string_view word) {
  return IsReservedKeyword(word) ||
         std::binary_search(kNonAliasExtra.begin(), kNonAliasExtra.end(), word);
}

std::string ToUpperAscii(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace basalt::sql
