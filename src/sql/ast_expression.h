// Parsed (unbound) expressions: the parser's output, the binder's input.
//
// Nodes are plain data with public fields: the binder reads them directly and
// the tree carries no behaviour beyond printing and copying. Every node owns
// its children through std::unique_ptr and records `position`, the byte offset
// of its first token in the whole input passed to ParseSql (for error carets).
// Names (columns, functions, aliases) are already case-folded: unquoted ones
// are lowercase, "quoted" ones keep their case. No literal is converted here:
// constants keep their source text, and the binder decides their types.
//
// Nodes are not thread safe to mutate; a finished tree may be read by many
// threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/exception.h"
#include "common/types.h"

namespace basalt::sql {

class QueryNode;  // ast_query.h

enum class ExpressionKind : uint8_t {
  kColumnRef,     // ColumnRefExpression
  kStar,          // StarExpression (only as a select-list item)
  kParameter,     // ParameterExpression
  kConstant,      // ConstantExpression
  kInterval,      // IntervalExpression
  kUnary,         // UnaryExpression
  kBinary,        // BinaryExpression
  kComparison,    // ComparisonExpression
  kConjunction,   // ConjunctionExpression
  kIsNull,        // IsNullExpression
  kIsBool,        // IsBoolExpression
  kIsDistinct,    // IsDistinctExpression
  kBetween,       // BetweenExpression
  kLike,          // LikeExpression
  kInList,        // InListExpression
  kSubquery,      // SubqueryExpression
  kCase,          // CaseExpression
  kCast,          // CastExpression
  kFunctionCall,  // FunctionCallExpression
};

const char* ExpressionKindName(ExpressionKind kind);

class ParsedExpression {
 public:
  virtual ~ParsedExpression() = default;
  ParsedExpression(const ParsedExpression&) = delete;
  ParsedExpression& operator=(const ParsedExpression&) = delete;

  // Canonical SQL for the expression, with only the parentheses precedence
  // needs: `a + b * c`, `(a + b) * c`, `sum(l_quantity)`, `count(*)`. Used to
  // name result columns and in EXPLAIN; reparsing it yields an equal tree.
  // Two trees that differ only in positions print the same, so the string
  // also serves as a structural key (e.g. matching GROUP BY expressions).
  virtual std::string ToString() const = 0;

  // Deep copy, positions included.
  virtual std::unique_ptr<ParsedExpression> Copy() const = 0;

  template <typename T>
  bool Is() const {
    return kind == T::kKind;
  }
  template <typename T>
  T& As() {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T& As() const {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }

  const ExpressionKind kind;
  int32_t position;

 protected:
  ParsedExpression(ExpressionKind kind, int32_t position) : kind(kind), position(position) {}
};

using ExpressionPtr = std::unique_ptr<ParsedExpression>;

// Copy helpers; a null pointer copies to null.
ExpressionPtr CopyExpression(const ExpressionPtr& expression);
std::vector<ExpressionPtr> CopyExpressions(const std::vector<ExpressionPtr>& expressions);

// `a`, `t.a`, `s.t.a`: names[0..n-2] qualify the column named names.back().
class ColumnRefExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kColumnRef;
  ColumnRefExpression(std::vector<std::string> names, int32_t position)
      : ParsedExpression(kKind, position), names(std::move(names)) {}

  const std::string& column_name() const { return names.back(); }
  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  std::vector<std::string> names;  // never empty
};

// `*` (relation empty) or `t.*`. The parser produces it only as a whole
// select-list item; `count(*)` is FunctionCallExpression::is_star instead.
class StarExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kStar;
  StarExpression(std::string relation, int32_t position)
      : ParsedExpression(kKind, position), relation(std::move(relation)) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  std::string relation;
};

// `$n` (n >= 1).
class ParameterExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kParameter;
  ParameterExpression(int32_t index, int32_t position)
      : ParsedExpression(kKind, position), index(index) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  int32_t index;
};

enum class ConstantKind : uint8_t { kNull, kBoolean, kInteger, kDecimal, kFloat, kString };

// A literal, unconverted.
//   kNull     text "NULL"
//   kBoolean  text "TRUE"/"FALSE", and bool_value
//   kInteger  digits as written, e.g. "123456789012345678901234567890" (any size)
//   kDecimal  "1.5", ".5", "1." (no exponent)
//   kFloat    "1e10", "2.5E-3" (has an exponent)
//   kString   the string's value, quotes removed and '' unescaped
// A minus sign written directly before a numeric literal is folded into it
// ("-5", "-1.5"), so the binder sees -2147483648 as one integer literal.
class ConstantExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kConstant;
  ConstantExpression(ConstantKind constant_kind, std::string text, int32_t position)
      : ParsedExpression(kKind, position), constant_kind(constant_kind), text(std::move(text)) {}

  static std::unique_ptr<ConstantExpression> Null(int32_t position);
  static std::unique_ptr<ConstantExpression> Boolean(bool value, int32_t position);
  static std::unique_ptr<ConstantExpression> String(std::string value, int32_t position);

  bool IsNumeric() const {
    return constant_kind == ConstantKind::kInteger || constant_kind == ConstantKind::kDecimal ||
           constant_kind == ConstantKind::kFloat;
  }
  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ConstantKind constant_kind;
  std::string text;
  bool bool_value = false;  // meaningful for kBoolean only
};

enum class IntervalUnit : uint8_t { kYear, kMonth, kDay, kHour, kMinute, kSecond };

const char* IntervalUnitName(IntervalUnit unit);  // "YEAR", "MONTH", ...

// INTERVAL '90' DAY, interval '3' month, INTERVAL '1 day 2 hours' (no unit:
// the binder parses the text). A leading-field precision as in
// `interval '90' day (3)` is accepted and dropped: it only limits digits.
// Plural units (DAYS) and an unquoted integer (INTERVAL 3 DAY) are accepted.
class IntervalExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kInterval;
  IntervalExpression(std::string value, std::optional<IntervalUnit> unit, int32_t position)
      : ParsedExpression(kKind, position), value(std::move(value)), unit(unit) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  std::string value;
  std::optional<IntervalUnit> unit;
};

enum class UnaryOperator : uint8_t { kMinus, kPlus, kNot };

class UnaryExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kUnary;
  UnaryExpression(UnaryOperator op, ExpressionPtr child, int32_t position)
      : ParsedExpression(kKind, position), op(op), child(std::move(child)) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  UnaryOperator op;
  ExpressionPtr child;
};

enum class BinaryOperator : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kModulo, kConcat };

const char* BinaryOperatorSymbol(BinaryOperator op);  // "+", "||", ...

// Arithmetic and ||. Chains are left associative: a - b - c is (a - b) - c,
// built by a loop, so long chains do not recurse in the parser. The tree is
// as deep as the chain is long (1 + 1 + ... with 10,000 terms is 10,000
// levels down `left`); destruction, Copy and ToString walk that left spine
// iteratively, and a consumer that recurses over expressions should do the
// same for `left` chains of BinaryExpression.
class BinaryExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kBinary;
  BinaryExpression(BinaryOperator op, ExpressionPtr left, ExpressionPtr right, int32_t position)
      : ParsedExpression(kKind, position), op(op), left(std::move(left)), right(std::move(right)) {}
  ~BinaryExpression() override;

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  BinaryOperator op;
  ExpressionPtr left;
  ExpressionPtr right;
};

// != is read as kNotEqual.
enum class ComparisonOperator : uint8_t {
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual
};

const char* ComparisonOperatorSymbol(ComparisonOperator op);  // "=", "<>", ...

class ComparisonExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kComparison;
  ComparisonExpression(ComparisonOperator op, ExpressionPtr left, ExpressionPtr right,
                       int32_t position)
      : ParsedExpression(kKind, position), op(op), left(std::move(left)), right(std::move(right)) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ComparisonOperator op;
  ExpressionPtr left;
  ExpressionPtr right;
};

enum class ConjunctionOperator : uint8_t { kAnd, kOr };

// AND / OR over two or more children. Chains are flattened into one node
// (also through parentheses: a AND (b AND c) has three children), so 10,000
// ANDs make one flat node rather than a deep tree.
class ConjunctionExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kConjunction;
  ConjunctionExpression(ConjunctionOperator op, int32_t position)
      : ParsedExpression(kKind, position), op(op) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ConjunctionOperator op;
  std::vector<ExpressionPtr> children;
};

// x IS [NOT] NULL, also x ISNULL / x NOTNULL and x IS [NOT] UNKNOWN.
class IsNullExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kIsNull;
  IsNullExpression(ExpressionPtr child, bool negated, int32_t position)
      : ParsedExpression(kKind, position), child(std::move(child)), negated(negated) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr child;
  bool negated;  // IS NOT NULL
};

// x IS [NOT] TRUE / x IS [NOT] FALSE (never NULL itself).
class IsBoolExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kIsBool;
  IsBoolExpression(ExpressionPtr child, bool value, bool negated, int32_t position)
      : ParsedExpression(kKind, position),
        child(std::move(child)),
        value(value),
        negated(negated) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr child;
  bool value;    // TRUE or FALSE
  bool negated;  // IS NOT
};

// left IS [NOT] DISTINCT FROM right.
class IsDistinctExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kIsDistinct;
  IsDistinctExpression(ExpressionPtr left, ExpressionPtr right, bool negated, int32_t position)
      : ParsedExpression(kKind, position),
        left(std::move(left)),
        right(std::move(right)),
        negated(negated) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr left;
  ExpressionPtr right;
  bool negated;  // IS NOT DISTINCT FROM (null-safe equality)
};

// input [NOT] BETWEEN lower AND upper.
class BetweenExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kBetween;
  BetweenExpression(ExpressionPtr input, ExpressionPtr lower, ExpressionPtr upper, bool negated,
                    int32_t position)
      : ParsedExpression(kKind, position),
        input(std::move(input)),
        lower(std::move(lower)),
        upper(std::move(upper)),
        negated(negated) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr input;
  ExpressionPtr lower;
  ExpressionPtr upper;
  bool negated;
};

// input [NOT] LIKE|ILIKE pattern [ESCAPE escape], and with `regex` the
// POSIX regular expression match input ~ pattern (!~ negated, ~* and !~*
// case-insensitive), which has the same shape but binds like || (kOther).
class LikeExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kLike;
  explicit LikeExpression(int32_t position) : ParsedExpression(kKind, position) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr input;
  ExpressionPtr pattern;
  ExpressionPtr escape;           // null when no ESCAPE clause
  bool case_insensitive = false;  // ILIKE
  bool negated = false;
  bool regex = false;  // ~ !~ ~* !~* (never with an escape)
};

// input [NOT] IN (list...). IN (subquery) is a SubqueryExpression.
class InListExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kInList;
  InListExpression(ExpressionPtr input, bool negated, int32_t position)
      : ParsedExpression(kKind, position), input(std::move(input)), negated(negated) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr input;
  std::vector<ExpressionPtr> list;  // never empty
  bool negated;
};

enum class SubqueryKind : uint8_t {
  kScalar,  // (SELECT ...)
  kExists,  // [NOT] EXISTS (SELECT ...)
  kIn,      // left [NOT] IN (SELECT ...)
  kAny,     // left <comparison> ANY|SOME (SELECT ...)
  kAll,     // left <comparison> ALL (SELECT ...)
  kArray,   // ARRAY(SELECT ...)
};

// Every expression that contains a query. `NOT EXISTS (...)` is folded into
// kExists with negated = true; NOT IN is kIn with negated = true.
class SubqueryExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kSubquery;
  SubqueryExpression(SubqueryKind subquery_kind, std::unique_ptr<QueryNode> subquery,
                     int32_t position);
  ~SubqueryExpression() override;

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  SubqueryKind subquery_kind;
  std::unique_ptr<QueryNode> subquery;
  ExpressionPtr left;  // kIn, kAny, kAll: the compared expression; else null
  ComparisonOperator comparison = ComparisonOperator::kEqual;  // kAny, kAll (kIn: kEqual)
  bool negated = false;                                        // kExists, kIn
};

struct CaseCheck {
  ExpressionPtr when;
  ExpressionPtr then;
};

// CASE [operand] WHEN ... THEN ... [ELSE ...] END. With an operand, each
// `when` is a value compared to it; without, each is a condition.
class CaseExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kCase;
  explicit CaseExpression(int32_t position) : ParsedExpression(kKind, position) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr operand;          // null for a searched CASE
  std::vector<CaseCheck> checks;  // never empty
  ExpressionPtr else_result;      // null when there is no ELSE
};

// A type as written in SQL, already resolved to a LogicalType.
//   DECIMAL(p,s) / NUMERIC(p,s); DECIMAL(p) is scale 0; bare DECIMAL is
//   DECIMAL(18,3) (DuckDB's default). VARCHAR(n), CHAR(n), CHARACTER
//   VARYING(n) keep n in `length` (the type is VARCHAR either way).
//   DOUBLE PRECISION, TIMESTAMP [WITHOUT TIME ZONE] and every name
//   TypeFromName knows are accepted; an unknown name fails with 42704.
struct TypeName {
  LogicalType type;
  // PostgreSQL's OID alias types (regclass, regtype, regnamespace, regproc)
  // have no Basalt type: the binder turns a cast to one into a catalog
  // lookup (exec/functions/catalog_functions.h). Empty for other types.
  std::string oid_alias;
  std::optional<int32_t> length;  // VARCHAR(n) / CHAR(n)
  int32_t position = 0;
  // `type[]`: in a cast it is the catalog's array text (`type` is VARCHAR),
  // unless the operand is a LIST; in a column definition it is this LIST.
  // kInvalid when no [] was written.
  LogicalType list_type;

  std::string ToString() const;  // "INTEGER", "DECIMAL(15,2)", "VARCHAR(25)"
};

// CAST(x AS type), x::type, and typed literals: DATE '1998-12-01' is a cast of
// the string constant '1998-12-01' to DATE.
class CastExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kCast;
  CastExpression(ExpressionPtr child, TypeName target, int32_t position)
      : ParsedExpression(kKind, position), child(std::move(child)), target(target) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  ExpressionPtr child;
  TypeName target;
};

enum class OrderType : uint8_t { kAscending, kDescending };
enum class NullsOrder : uint8_t { kUnspecified, kFirst, kLast };

// One ORDER BY entry (queries, window specifications, ordered aggregates).
// NULLS is tri-state: when unspecified the binder applies its default.
struct OrderByItem {
  ExpressionPtr expression;
  OrderType order = OrderType::kAscending;
  NullsOrder nulls = NullsOrder::kUnspecified;

  OrderByItem Copy() const;
  std::string ToString() const;
};

std::vector<OrderByItem> CopyOrderBy(const std::vector<OrderByItem>& items);

enum class FrameUnit : uint8_t { kRows, kRange };
enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  // offset PRECEDING
  kCurrentRow,
  kFollowing,  // offset FOLLOWING
  kUnboundedFollowing,
};

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  ExpressionPtr offset;  // kPreceding / kFollowing only
};

// ROWS|RANGE BETWEEN start AND end. The short form `ROWS start` has end =
// CURRENT ROW, as in SQL.
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRange;
  FrameBound start;
  FrameBound end;
};

// OVER (PARTITION BY ... ORDER BY ... frame).
struct WindowSpec {
  std::vector<ExpressionPtr> partition_by;
  std::vector<OrderByItem> order_by;
  std::optional<WindowFrame> frame;  // nullopt: the SQL default frame

  std::unique_ptr<WindowSpec> Copy() const;
  std::string ToString() const;  // the text inside OVER ( ... )
};

// name => value, used by table functions: read_csv('x.csv', delim => '|').
struct NamedArgument {
  std::string name;
  ExpressionPtr value;
  int32_t position = 0;
};

// name(args) [FILTER (WHERE ...)] [OVER (...)]. Names are lowercase unless
// quoted. Special syntaxes arrive here under conventional names:
//   EXTRACT(year FROM x)           -> extract('year', x)   (field as a string constant)
//   SUBSTRING(s FROM a [FOR b])    -> substring(s, a[, b]); SUBSTRING(s FOR b) -> (s, 1, b)
//   POSITION(a IN b)               -> position(a, b)
//   TRIM([BOTH] [chars] FROM s)    -> trim(s[, chars]); LEADING -> ltrim, TRAILING -> rtrim
//   CURRENT_DATE, CURRENT_TIMESTAMP -> current_date(), current_timestamp()
// COALESCE, NULLIF, GREATEST, LEAST are ordinary calls.
class FunctionCallExpression : public ParsedExpression {
 public:
  static constexpr ExpressionKind kKind = ExpressionKind::kFunctionCall;
  FunctionCallExpression(std::string name, int32_t position)
      : ParsedExpression(kKind, position), name(std::move(name)) {}

  std::string ToString() const override;
  ExpressionPtr Copy() const override;

  std::string schema;  // empty unless written schema.name(...)
  std::string name;
  std::vector<ExpressionPtr> args;        // positional arguments
  std::vector<NamedArgument> named_args;  // after all positional ones
  bool distinct = false;                  // f(DISTINCT x)
  bool is_star = false;                   // count(*): args is empty
  std::vector<OrderByItem> order_by;      // string_agg(x, ',' ORDER BY y)
  ExpressionPtr filter;                   // FILTER (WHERE ...), or null
  std::unique_ptr<WindowSpec> window;     // OVER (...), or null
};

}  // namespace basalt::sql
