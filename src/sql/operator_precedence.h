// Binding strength of SQL operators, weakest first, as in PostgreSQL's
// grammar. Shared by the parser (precedence climbing) and by
// ParsedExpression::ToString (to print only the parentheses that matter).
#pragma once

namespace basalt::precedence {

inline constexpr int kLowest = 0;
inline constexpr int kOr = 1;
inline constexpr int kAnd = 2;
inline constexpr int kNot = 3;             // prefix NOT, right associative
inline constexpr int kIs = 4;              // IS [NOT] NULL/TRUE/DISTINCT FROM, ISNULL, NOTNULL
inline constexpr int kComparison = 5;      // = <> < > <= >=, non associative
inline constexpr int kPattern = 6;         // [NOT] BETWEEN / IN / LIKE / ILIKE, non associative
inline constexpr int kOther = 7;           // ||
inline constexpr int kAdditive = 8;        // + -
inline constexpr int kMultiplicative = 9;  // * / %
inline constexpr int kUnary = 10;          // prefix + -
inline constexpr int kCast = 11;           // postfix ::
inline constexpr int kPrimary = 12;

}  // namespace basalt::precedence
