#include "optimizer/cardinality_estimator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

namespace basalt {

namespace {

// When a relation's size cannot be known (no storage attached, unreadable
// file), assume a middling table.
constexpr double kUnknownRows = 1000;

double ScanRows(const LogicalGet& get) {
  double rows = get.table && get.table->storage
                    ? static_cast<double>(get.table->storage->RowCount())
                    : kUnknownRows;
  for (const auto& f : get.filters) rows *= EstimateSelectivity(*f);
  return rows;
}

double FileRows(const LogicalFileScan& scan) {
  double bytes = 0;
  for (const std::string& file : scan.files) {
    std::error_code error;
    auto size = std::filesystem::file_size(file, error);
    if (error) return kUnknownRows;
    bytes += static_cast<double>(size);
  }
  return std::max(1.0, bytes / kCsvBytesPerRow);
}

// An equality between one column set of each side: a hash-join key.
bool IsEquiCondition(const Expression& e, const BindingSet& left, const BindingSet& right) {
  if (ComparisonName(e) != "=") return false;
  BindingSet a = ReferencedBindings(*e.children[0]);
  BindingSet b = ReferencedBindings(*e.children[1]);
  if (a.empty() || b.empty()) return false;
  return (CoveredBy(a, left) && CoveredBy(b, right)) || (CoveredBy(a, right) && CoveredBy(b, left));
}

}  // namespace

double EstimateSelectivity(const Expression& e) {
  switch (e.kind) {
    case ExprKind::kConstant:
      return IsBooleanConstant(e, true) ? 1.0 : 0.0;
    case ExprKind::kAnd: {
      double s = 1;
      for (const auto& c : e.children) s *= EstimateSelectivity(*c);
      return s;
    }
    case ExprKind::kOr: {
      double none = 1;
      for (const auto& c : e.children) none *= 1 - EstimateSelectivity(*c);
      return 1 - none;
    }
    case ExprKind::kNot:
      return std::clamp(1 - EstimateSelectivity(*e.children[0]), 0.0, 1.0);
    case ExprKind::kInList:
      return std::min(1.0, kEqualitySelectivity * static_cast<double>(e.children.size() - 1));
    case ExprKind::kFunction: {
      const std::string& cmp = ComparisonName(e);
      if (cmp == "=") return kEqualitySelectivity;
      if (cmp == "<" || cmp == ">" || cmp == "<=" || cmp == ">=") return kRangeSelectivity;
      if (e.function.name == "~~" || e.function.name == "like") return kLikeSelectivity;
      return kDefaultSelectivity;
    }
    default:
      return kDefaultSelectivity;
  }
}

namespace {

thread_local const DistinctCounts* current_counts = nullptr;

// The column a join key reads, looking through casts; nullptr for other expressions.
const Expression* KeyColumn(const Expression& e) {
  const Expression* x = &e;
  while (x->kind == ExprKind::kFunction && x->function.name == "cast" && x->children.size() == 1) {
    x = x->children[0].get();
  }
  return x->kind == ExprKind::kColumnRef ? x : nullptr;
}

// Distinct values of a key, at most `rows`; -1 when unknown.
double KeyDistinct(const Expression& e, double rows) {
  const Expression* column = KeyColumn(e);
  if (!column || !current_counts) return -1;
  auto it = current_counts->find(column->binding);
  if (it == current_counts->end()) return -1;
  return std::max(1.0, std::min(it->second, rows));
}

void Collect(const LogicalOperator& op, DistinctCounts& out) {
  for (const auto& child : op.children) Collect(*child, out);
  auto pass_on = [&](const std::vector<ExpressionPtr>& exprs, uint32_t table_index) {
    for (size_t i = 0; i < exprs.size(); i++) {
      const Expression* column = KeyColumn(*exprs[i]);
      if (!column) continue;
      auto it = out.find(column->binding);
      if (it != out.end()) out[ColumnBinding{table_index, static_cast<uint32_t>(i)}] = it->second;
    }
  };
  switch (op.type) {
    case LogicalOperatorType::kGet: {
      const auto& get = static_cast<const LogicalGet&>(op);
      if (!get.table || !get.table->storage) break;
      for (idx_t column : get.column_ids) {
        out[ColumnBinding{get.table_index, static_cast<uint32_t>(column)}] =
            get.table->storage->DistinctCount(column);
      }
      break;
    }
    case LogicalOperatorType::kProjection: {
      const auto& projection = static_cast<const LogicalProjection&>(op);
      pass_on(projection.expressions, projection.table_index);
      break;
    }
    case LogicalOperatorType::kAggregate: {
      const auto& agg = static_cast<const LogicalAggregate&>(op);
      pass_on(agg.groups, agg.group_index);
      break;
    }
    default:
      break;
  }
}

}  // namespace

DistinctCounts CollectDistinctCounts(const LogicalOperator& plan) {
  DistinctCounts counts;
  Collect(plan, counts);
  return counts;
}

DistinctCountsScope::DistinctCountsScope(DistinctCounts counts)
    : counts_(std::move(counts)), previous_(current_counts) {
  current_counts = &counts_;
}

DistinctCountsScope::~DistinctCountsScope() { current_counts = previous_; }

double EstimateJoinRows(double left, double right, const std::vector<const Expression*>& conditions,
                        const BindingSet& left_bindings, const BindingSet& right_bindings) {
  bool equi = false;
  double denominator = 0;  // the largest max(ndv) over the key pairs
  double selectivity = 1;
  for (const auto& c : conditions) {
    if (IsEquiCondition(*c, left_bindings, right_bindings)) {
      equi = true;
      const Expression& a = *c->children[0];
      const Expression& b = *c->children[1];
      bool a_left = CoveredBy(ReferencedBindings(a), left_bindings);
      double ndv_a = KeyDistinct(a, a_left ? left : right);
      double ndv_b = KeyDistinct(b, a_left ? right : left);
      if (ndv_a > 0 && ndv_b > 0) denominator = std::max(denominator, std::max(ndv_a, ndv_b));
    } else {
      selectivity *= EstimateSelectivity(*c);
    }
  }
  double rows;
  if (!equi) {
    rows = left * right;
  } else if (denominator > 0) {
    rows = left * right / denominator;
  } else {
    // No distinct counts: guess a key / foreign-key join.
    rows = std::max(left, right);
  }
  return rows * selectivity;
}

double EstimateCardinality(LogicalOperator& op) {
  std::vector<double> child_rows;
  for (auto& child : op.children) child_rows.push_back(EstimateCardinality(*child));
  double rows = 0;
  switch (op.type) {
    case LogicalOperatorType::kGet:
      rows = ScanRows(static_cast<const LogicalGet&>(op));
      break;
    case LogicalOperatorType::kFileScan:
      rows = FileRows(static_cast<const LogicalFileScan&>(op));
      break;
    case LogicalOperatorType::kValues:
      rows = static_cast<double>(static_cast<const LogicalValues&>(op).rows.size());
      break;
    case LogicalOperatorType::kFilter:
      rows = child_rows[0];
      for (const auto& c : static_cast<const LogicalFilter&>(op).conditions) {
        rows *= EstimateSelectivity(*c);
      }
      break;
    case LogicalOperatorType::kProjection:
    case LogicalOperatorType::kOrder:
    case LogicalOperatorType::kWindow:
      rows = child_rows[0];
      break;
    case LogicalOperatorType::kAggregate:
      rows = static_cast<const LogicalAggregate&>(op).groups.empty()
                 ? 1
                 : std::min(child_rows[0], std::max(1.0, std::pow(child_rows[0], 0.75)));
      break;
    case LogicalOperatorType::kJoin: {
      const auto& join = static_cast<const LogicalJoin&>(op);
      double l = child_rows[0];
      double r = child_rows[1];
      std::vector<const Expression*> conditions;
      for (const auto& c : join.conditions) conditions.push_back(c.get());
      double inner = EstimateJoinRows(l, r, conditions, ToSet(op.children[0]->GetColumnBindings()),
                                      ToSet(op.children[1]->GetColumnBindings()));
      switch (join.join_type) {
        case LogicalJoinType::kInner:
        case LogicalJoinType::kCross:
          rows = inner;
          break;
        case LogicalJoinType::kLeft:
          rows = std::max(inner, l);
          break;
        case LogicalJoinType::kRight:
          rows = std::max(inner, r);
          break;
        case LogicalJoinType::kFull:
          rows = std::max({inner, l, r});
          break;
        case LogicalJoinType::kSemi:
        case LogicalJoinType::kAnti:
          // Without statistics, half of the left rows find a match.
          rows = l * 0.5;
          break;
      }
      break;
    }
    case LogicalOperatorType::kLimit: {
      const auto& limit = static_cast<const LogicalLimit&>(op);
      rows = std::max(0.0, child_rows[0] - static_cast<double>(limit.offset));
      if (limit.limit != LogicalLimit::kNoLimit) {
        rows = std::min(rows, static_cast<double>(limit.limit));
      }
      break;
    }
    case LogicalOperatorType::kSetOperation: {
      const auto& set = static_cast<const LogicalSetOperation&>(op);
      if (set.kind == SetOperationKind::kUnion) {
        for (double r : child_rows) rows += r;
      } else if (set.kind == SetOperationKind::kIntersect) {
        rows = std::min(child_rows[0], child_rows[1]);
      } else {
        rows = child_rows[0];
      }
      break;
    }
  }
  op.estimated_rows = rows;
  return rows;
}

}  // namespace basalt
