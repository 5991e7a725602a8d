#include "exec/operators/scan_predicates.h"

#include <cmath>
#include <limits>
#include <optional>

#include "common/date_time.h"
#include "common/decimal.h"

namespace basalt {

namespace {

// A stored column as the filter sees it: directly, or through a cast to
// `seen_as`.
struct ColumnUse {
  idx_t column = 0;
  LogicalType type;     // the column's own type
  LogicalType seen_as;  // the type the filter compares it as
};

class Extractor {
 public:
  Extractor(const std::vector<idx_t>& column_ids, const std::vector<LogicalType>& table_types)
      : column_ids_(column_ids), table_types_(table_types) {}

  void Visit(const Expression& e) {
    switch (e.kind) {
      case ExprKind::kAnd:
        for (const auto& child : e.children) Visit(*child);
        return;
      case ExprKind::kFunction:
        VisitComparison(e, false);
        return;
      case ExprKind::kInList:
        VisitIn(e, false);
        return;
      case ExprKind::kIsNull:
      case ExprKind::kIsNotNull:
        VisitNullTest(e, false);
        return;
      case ExprKind::kInputRef:
        VisitBooleanColumn(e, true);
        return;
      case ExprKind::kNot:
        VisitNot(e);
        return;
      default:
        return;
    }
  }

  std::vector<ScanPredicate> Take() { return std::move(out_); }

 private:
  void VisitNot(const Expression& e) {
    if (e.children.size() != 1) return;
    const Expression& inner = *e.children[0];
    switch (inner.kind) {
      case ExprKind::kFunction:
        VisitComparison(inner, true);
        return;
      case ExprKind::kInList:
        VisitIn(inner, true);
        return;
      case ExprKind::kIsNull:
      case ExprKind::kIsNotNull:
        VisitNullTest(inner, true);
        return;
      case ExprKind::kInputRef:
        VisitBooleanColumn(inner, false);
        return;
      default:
        return;
    }
  }

  std::optional<ColumnUse> Column(const Expression& e) const {
    const Expression* ref = &e;
    if (e.kind == ExprKind::kFunction && e.function.name == "cast" && e.children.size() == 1) {
      ref = e.children[0].get();
    }
    if (ref->kind != ExprKind::kInputRef || ref->input_index >= column_ids_.size()) {
      return std::nullopt;
    }
    const idx_t column = column_ids_[ref->input_index];
    if (column >= table_types_.size() || ref->type != table_types_[column]) return std::nullopt;
    return ColumnUse{column, table_types_[column], e.type};
  }

  // `value` (of the type the filter compares the column as) as a value of
  // the column's own type, when the cast between them is strictly
  // increasing and `value` is one of its results: then `cast(col) op value`
  // holds exactly when `col op converted` does.
  static std::optional<Value> ToColumnType(const Value& value, const ColumnUse& use) {
    if (value.IsNull() || value.type() != use.seen_as) return std::nullopt;
    if (use.seen_as == use.type) return value;
    const LogicalType& to = use.type;
    const TypeId from = use.seen_as.id();
    // Only widening casts: a narrowing one can fail on a row, and skipping
    // that row's block would hide the error.
    if (to.IsInteger()) {
      int64_t v = 0;
      if (use.seen_as.IsInteger() && use.seen_as.ValueSize() >= to.ValueSize()) {
        v = value.GetInt64();
      } else if (from == TypeId::kDecimal && use.seen_as.precision() - use.seen_as.scale() >=
                                                 IntegerDecimalPrecision(to.id())) {
        const int128_t unit = Pow10(use.seen_as.scale());
        if (value.GetDecimal() % unit != 0) return std::nullopt;
        const int128_t whole = value.GetDecimal() / unit;
        if (whole < std::numeric_limits<int64_t>::min() ||
            whole > std::numeric_limits<int64_t>::max()) {
          return std::nullopt;
        }
        v = static_cast<int64_t>(whole);
      } else {
        return std::nullopt;
      }
      switch (to.id()) {
        case TypeId::kSmallint:
          if (v < INT16_MIN || v > INT16_MAX) return std::nullopt;
          return Value::Smallint(static_cast<int16_t>(v));
        case TypeId::kInteger:
          if (v < INT32_MIN || v > INT32_MAX) return std::nullopt;
          return Value::Integer(static_cast<int32_t>(v));
        default:
          return Value::Bigint(v);
      }
    }
    if (to.id() == TypeId::kDecimal && from == TypeId::kDecimal &&
        use.seen_as.scale() >= to.scale() &&
        use.seen_as.precision() - use.seen_as.scale() >= to.precision() - to.scale()) {
      const int128_t unit = Pow10(use.seen_as.scale() - to.scale());
      if (value.GetDecimal() % unit != 0) return std::nullopt;
      const int128_t raw = value.GetDecimal() / unit;
      const int128_t limit = Pow10(to.precision());
      if (raw <= -limit || raw >= limit) return std::nullopt;
      return Value::Decimal(raw, to.precision(), to.scale());
    }
    if (to.id() == TypeId::kReal && from == TypeId::kDouble) {
      const double d = value.GetDouble();
      if (std::isnan(d)) return Value::Real(std::numeric_limits<float>::quiet_NaN());
      if (std::isinf(d)) return Value::Real(static_cast<float>(d));
      if (std::fabs(d) > std::numeric_limits<float>::max()) return std::nullopt;
      const float f = static_cast<float>(d);
      if (static_cast<double>(f) != d) return std::nullopt;
      return Value::Real(f);
    }
    if (to.id() == TypeId::kDate && from == TypeId::kTimestamp) {
      const int64_t micros = value.GetInt64();
      if (micros % kMicrosPerDay != 0) return std::nullopt;
      const int64_t days = micros / kMicrosPerDay;
      if (days < INT32_MIN || days > INT32_MAX) return std::nullopt;
      return Value::Date(static_cast<int32_t>(days));
    }
    return std::nullopt;
  }

  static std::optional<ScanPredicateOp> ComparisonOp(const std::string& name) {
    if (name == "=") return ScanPredicateOp::kEqual;
    if (name == "<>" || name == "!=") return ScanPredicateOp::kNotEqual;
    if (name == "<") return ScanPredicateOp::kLess;
    if (name == "<=") return ScanPredicateOp::kLessEqual;
    if (name == ">") return ScanPredicateOp::kGreater;
    if (name == ">=") return ScanPredicateOp::kGreaterEqual;
    return std::nullopt;
  }

  // c op col is col op' c.
  static ScanPredicateOp Mirror(ScanPredicateOp op) {
    switch (op) {
      case ScanPredicateOp::kLess: return ScanPredicateOp::kGreater;
      case ScanPredicateOp::kLessEqual: return ScanPredicateOp::kGreaterEqual;
      case ScanPredicateOp::kGreater: return ScanPredicateOp::kLess;
      case ScanPredicateOp::kGreaterEqual: return ScanPredicateOp::kLessEqual;
      default: return op;
    }
  }

  // NOT (col op c) is col op' c: a NULL stays NULL either way, and the
  // engine's order is total (NaN included), so the complement of a
  // comparison is a comparison.
  static ScanPredicateOp Negate(ScanPredicateOp op) {
    switch (op) {
      case ScanPredicateOp::kEqual: return ScanPredicateOp::kNotEqual;
      case ScanPredicateOp::kNotEqual: return ScanPredicateOp::kEqual;
      case ScanPredicateOp::kLess: return ScanPredicateOp::kGreaterEqual;
      case ScanPredicateOp::kLessEqual: return ScanPredicateOp::kGreater;
      case ScanPredicateOp::kGreater: return ScanPredicateOp::kLessEqual;
      case ScanPredicateOp::kGreaterEqual: return ScanPredicateOp::kLess;
      default: return op;
    }
  }

  void VisitComparison(const Expression& e, bool negated) {
    if (e.children.size() != 2) return;
    std::optional<ScanPredicateOp> op = ComparisonOp(e.function.name);
    if (!op) return;
    const Expression* column = e.children[0].get();
    const Expression* constant = e.children[1].get();
    if (column->IsConstant()) {
      std::swap(column, constant);
      *op = Mirror(*op);
    }
    if (!constant->IsConstant()) return;
    std::optional<ColumnUse> use = Column(*column);
    if (!use) return;
    std::optional<Value> value = ToColumnType(constant->constant, *use);
    if (!value) return;
    out_.push_back(MakeComparison(use->column, negated ? Negate(*op) : *op, std::move(*value)));
  }

  void VisitIn(const Expression& e, bool negated) {
    if (e.children.size() < 2) return;
    std::optional<ColumnUse> use = Column(*e.children[0]);
    if (!use) return;
    std::vector<Value> values;
    for (size_t i = 1; i < e.children.size(); i++) {
      const Expression& item = *e.children[i];
      if (!item.IsConstant()) return;
      // A NULL item never makes IN TRUE; under NOT it makes NOT IN never
      // TRUE, which skipping cannot get wrong.
      if (item.constant.IsNull()) continue;
      std::optional<Value> value = ToColumnType(item.constant, *use);
      if (!value) {
        // Dropping an item from IN would skip its rows; from NOT IN it only
        // drops one of the conjuncts.
        if (!negated) return;
        continue;
      }
      values.push_back(std::move(*value));
    }
    if (!negated) {
      out_.push_back(MakeInList(use->column, std::move(values)));
      return;
    }
    for (Value& v : values) {
      out_.push_back(MakeComparison(use->column, ScanPredicateOp::kNotEqual, std::move(v)));
    }
  }

  void VisitNullTest(const Expression& e, bool negated) {
    if (e.children.size() != 1) return;
    std::optional<ColumnUse> use = Column(*e.children[0]);
    if (!use) return;
    const bool is_null = (e.kind == ExprKind::kIsNull) != negated;
    ScanPredicate p;
    p.column = use->column;
    p.op = is_null ? ScanPredicateOp::kIsNull : ScanPredicateOp::kIsNotNull;
    out_.push_back(std::move(p));
  }

  // WHERE flag, WHERE NOT flag.
  void VisitBooleanColumn(const Expression& e, bool value) {
    if (e.type.id() != TypeId::kBoolean) return;
    std::optional<ColumnUse> use = Column(e);
    if (!use) return;
    out_.push_back(MakeComparison(use->column, ScanPredicateOp::kEqual, Value::Boolean(value)));
  }

  const std::vector<idx_t>& column_ids_;
  const std::vector<LogicalType>& table_types_;
  std::vector<ScanPredicate> out_;
};

}  // namespace

std::vector<ScanPredicate> ExtractScanPredicates(const Expression& filter,
                                                 const std::vector<idx_t>& column_ids,
                                                 const std::vector<LogicalType>& table_types) {
  Extractor extractor(column_ids, table_types);
  extractor.Visit(filter);
  return extractor.Take();
}

}  // namespace basalt
