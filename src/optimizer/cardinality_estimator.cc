#include "optimizer/cardinality_estimator.h"
#include "storage/parquet/parquet_reader.h"
#include "storage/parquet/parquet_statistics.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <system_error>

namespace basalt {

namespace {

// When a relation's size cannot be known (no storage attached, unreadable
// file), assume a middling table.
constexpr double kUnknownRows = 1000;

double ScanSelectivityWithStatistics(const LogicalGet& get, const TableStatistics& statistics);

double ScanRows(const LogicalGet& get) {
  double rows = get.table && get.table->storage
                    ? static_cast<double>(get.table->storage->RowCount())
                    : kUnknownRows;
  std::shared_ptr<const TableStatistics> statistics =
      get.table ? get.table->statistics.load() : nullptr;
  // Statistics of an empty table say nothing about the rows it has since.
  if (statistics && statistics->record.row_count > 0) {
    return rows * ScanSelectivityWithStatistics(get, *statistics);
  }
  for (const auto& f : get.filters) rows *= EstimateSelectivity(*f);
  return rows;
}

double FileRows(const LogicalFileScan& scan) {
  // A Parquet footer knows its row count exactly.
  if (scan.format == FileFormat::kParquet) {
    double rows = 0;
    for (const auto& file : *std::static_pointer_cast<const ParquetFileList>(scan.options)) {
      rows += static_cast<double>(file->metadata().num_rows);
    }
    return std::max(1.0, rows);
  }
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

// A conjunct `column op constant` on one scanned column, the column written
// first: `5 < a` is read as `a > 5`.
struct ColumnComparison {
  idx_t column = 0;
  std::string op;
  Value constant;
};

bool MatchComparison(const Expression& e, uint32_t table_index, ColumnComparison* out) {
  const std::string& op = ComparisonName(e);
  if (op.empty()) return false;
  for (int side = 0; side < 2; side++) {
    const Expression* column = KeyColumn(*e.children[side]);
    const Expression& other = *e.children[1 - side];
    if (!column || column->binding.table_index != table_index ||
        other.kind != ExprKind::kConstant || other.constant.IsNull()) {
      continue;
    }
    out->column = column->binding.column_index;
    out->op = op;
    if (side == 1) {
      if (op == "<") out->op = ">";
      if (op == ">") out->op = "<";
      if (op == "<=") out->op = ">=";
      if (op == ">=") out->op = "<=";
    }
    out->constant = other.constant;
    return true;
  }
  return false;
}

// Whether positions (ValuePosition) of values of the two types lie on one
// line: numbers with numbers, dates and timestamps with each other.
bool SameLine(const LogicalType& a, const LogicalType& b) {
  return (a.IsNumeric() && b.IsNumeric()) || (a.IsTemporal() && b.IsTemporal());
}

// Range conjuncts on one column, intersected.
struct PositionRange {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
};

// With ANALYZE's statistics (see the header): `col = c` 1 / ndv, range
// conjuncts on one column interpolated together between its min and max, IS
// [NOT] NULL from the NULL count; each times the non-NULL fraction where NULLs
// do not pass. The statistics may be stale, so each such selectivity is kept
// within [one analyzed row, 1]; other conjuncts keep the fixed guesses.
double ScanSelectivityWithStatistics(const LogicalGet& get, const TableStatistics& statistics) {
  const double analyzed_rows = static_cast<double>(statistics.record.row_count);
  const double floor = 1 / analyzed_rows;
  auto non_null = [&](const ColumnStatisticsRecord& c) {
    return std::clamp(1 - static_cast<double>(c.null_count) / analyzed_rows, 0.0, 1.0);
  };
  double selectivity = 1;
  std::map<idx_t, PositionRange> ranges;
  for (const auto& f : get.filters) {
    double s = -1;  // -1: the statistics do not tell
    ColumnComparison cmp;
    if (MatchComparison(*f, get.table_index, &cmp) && cmp.column < get.table->columns.size() &&
        cmp.column < statistics.columns.size()) {
      const ColumnStatisticsRecord* column = statistics.Find(cmp.column);
      const TableStatistics::Column& bounds = statistics.columns[cmp.column];
      double position = 0;
      const bool positioned = column && bounds.has_positions &&
                              SameLine(get.table->columns[cmp.column].type, cmp.constant.type()) &&
                              ValuePosition(cmp.constant, &position);
      if (positioned && cmp.op != "=" && cmp.op != "<>") {
        PositionRange& range = ranges[cmp.column];
        if (cmp.op == "<" || cmp.op == "<=") range.high = std::min(range.high, position);
        if (cmp.op == ">" || cmp.op == ">=") range.low = std::max(range.low, position);
        continue;
      }
      if (column && cmp.op == "=") {
        if (positioned && (position < bounds.min_position || position > bounds.max_position)) {
          s = 0;
        } else {
          s = non_null(*column) / std::max(1.0, column->distinct_count);
        }
      }
    } else if ((f->kind == ExprKind::kIsNull || f->kind == ExprKind::kIsNotNull) &&
               f->children.size() == 1) {
      const Expression* ref = KeyColumn(*f->children[0]);
      const ColumnStatisticsRecord* column = ref && ref->binding.table_index == get.table_index
                                                 ? statistics.Find(ref->binding.column_index)
                                                 : nullptr;
      if (column) s = f->kind == ExprKind::kIsNull ? 1 - non_null(*column) : non_null(*column);
    }
    selectivity *= s < 0 ? EstimateSelectivity(*f) : std::clamp(s, floor, 1.0);
  }
  for (const auto& [c, range] : ranges) {
    const TableStatistics::Column& bounds = statistics.columns[c];
    const double low = std::max(range.low, bounds.min_position);
    const double high = std::min(range.high, bounds.max_position);
    double fraction;
    if (bounds.max_position > bounds.min_position) {
      fraction = (high - low) / (bounds.max_position - bounds.min_position);
    } else {
      fraction = low <= high ? 1 : 0;  // one value, inside the range or not
    }
    fraction = std::clamp(fraction, 0.0, 1.0) * non_null(*statistics.Find(c));
    selectivity *= std::clamp(fraction, floor, 1.0);
  }
  return selectivity;
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
      // ANALYZE's counts when there are, else the sketches writes keep.
      std::shared_ptr<const TableStatistics> statistics = get.table->statistics.load();
      const double rows = static_cast<double>(get.table->storage->RowCount());
      for (idx_t column : get.column_ids) {
        const ColumnStatisticsRecord* analyzed = statistics ? statistics->Find(column) : nullptr;
        out[ColumnBinding{get.table_index, static_cast<uint32_t>(column)}] =
            analyzed ? std::clamp(analyzed->distinct_count, 0.0, rows)
                     : get.table->storage->DistinctCount(column);
      }
      break;
    }
    case LogicalOperatorType::kFileScan: {
      // Parquet footers bound integer keys' distinct values by their ranges
      // (nation keys 0..24: at most 25), which keeps many-to-many joins from
      // passing for key joins.
      const auto& scan = static_cast<const LogicalFileScan&>(op);
      if (scan.format != FileFormat::kParquet || !scan.options) break;
      const auto& files = *std::static_pointer_cast<const ParquetFileList>(scan.options);
      for (idx_t column : scan.column_ids) {
        double bound = ParquetDistinctBound(files, column);  // -1 for virtual columns
        if (bound > 0) out[ColumnBinding{scan.table_index, static_cast<uint32_t>(column)}] = bound;
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
