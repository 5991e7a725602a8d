// The window functions that are not aggregates: ranking (row_number, rank,
// dense_rank, ntile) from positions and peer groups, and value functions
// (lag, lead, first_value, last_value) that gather a row of the partition
// from the store by row id. Also the checks and the factory for all kinds.
#include <algorithm>
#include <optional>

#include "common/exception.h"
#include "exec/expression_executor.h"
#include "exec/operators/window_evaluator.h"

namespace basalt {

namespace {

// PostgreSQL's SQLSTATE for a bad ntile argument.
constexpr const char* kInvalidArgumentForNtile = "22014";

class RankingEvaluator : public WindowEvaluator {
 public:
  explicit RankingEvaluator(WindowFunctionKind kind) : kind_(kind) {}

  void Evaluate(const WindowBatch& batch, Vector& result) override {
    int64_t* out = result.Data<int64_t>();
    const idx_t count = batch.count;
    switch (kind_) {
      case WindowFunctionKind::kRowNumber:
        for (idx_t j = 0; j < count; j++) {
          out[j] = static_cast<int64_t>(batch.first + j - batch.partition_begin[j]) + 1;
        }
        return;
      case WindowFunctionKind::kRank:
        // 1 + the rows before the row's first peer.
        for (idx_t j = 0; j < count; j++) {
          out[j] = static_cast<int64_t>(batch.peer_begin[j] - batch.partition_begin[j]) + 1;
        }
        return;
      case WindowFunctionKind::kDenseRank:
        for (idx_t j = 0; j < count; j++) out[j] = static_cast<int64_t>(batch.peer_group[j]) + 1;
        return;
      default:
        ThrowError(sqlstate::kInternalError, "internal error: {} is not a ranking function",
                   static_cast<int>(kind_));
    }
  }

 private:
  WindowFunctionKind kind_;
};

// ntile(n) as PostgreSQL splits a partition of `size` rows: every bucket gets
// size / n rows and the first size % n buckets one more.
class NtileEvaluator : public WindowEvaluator {
 public:
  explicit NtileEvaluator(int64_t buckets) : buckets_(buckets) {}

  void Evaluate(const WindowBatch& batch, Vector& result) override {
    int64_t* out = result.Data<int64_t>();
    for (idx_t j = 0; j < batch.count; j++) {
      const int64_t size = batch.partition_end[j] - batch.partition_begin[j];
      const int64_t k = static_cast<int64_t>(batch.first + j - batch.partition_begin[j]);
      const int64_t per_bucket = size / buckets_;
      const int64_t larger = size % buckets_;  // buckets holding per_bucket + 1 rows
      const int64_t in_larger = larger * (per_bucket + 1);
      out[j] = k < in_larger ? k / (per_bucket + 1) + 1 : larger + (k - in_larger) / per_bucket + 1;
    }
  }

 private:
  int64_t buckets_;
};

// Writes `value` (a constant vector, maybe NULL) into the rows j of `result`
// where fill[j] is set.
void FillRows(const Vector& value, const uint8_t* fill, idx_t count, Vector& result) {
  if (!value.validity().IsValid(0)) {
    for (idx_t j = 0; j < count; j++) {
      if (fill[j]) result.SetNull(j);
    }
    return;
  }
  DispatchPhysical(result.type().physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T v = value.Data<T>()[0];
    T* out = result.Data<T>();
    for (idx_t j = 0; j < count; j++) {
      if (!fill[j]) continue;
      out[j] = v;
      result.validity().SetValid(j);
    }
  });
  // A string default lives in the constant vector's heap.
  result.KeepAlive(value);
}

// lag (delta < 0) and lead (delta > 0): the value `|delta|` rows before or
// after in the partition, else the default.
class LagLeadEvaluator : public WindowEvaluator {
 public:
  LagLeadEvaluator(const WindowRows& rows, idx_t value_column, std::optional<int64_t> delta,
                   const Value& default_value, const LogicalType& type)
      : rows_(rows),
        value_column_(value_column),
        delta_(delta),
        default_(default_value.IsNull() ? Value::Null(type) : default_value),
        sources_(kBatchSize),
        outside_(kBatchSize) {}

  void Evaluate(const WindowBatch& batch, Vector& result) override {
    const idx_t count = batch.count;
    if (!delta_) {
      // A NULL offset makes every result NULL, as in PostgreSQL.
      for (idx_t j = 0; j < count; j++) result.SetNull(j);
      return;
    }
    const uint32_t* order = rows_.order();
    bool any_outside = false;
    for (idx_t j = 0; j < count; j++) {
      const int64_t position = static_cast<int64_t>(batch.first + j);
      const int64_t source = position + *delta_;
      const bool outside = source < static_cast<int64_t>(batch.partition_begin[j]) ||
                           source >= static_cast<int64_t>(batch.partition_end[j]);
      // Rows outside their partition read their own row and are overwritten.
      sources_[j] = order[outside ? position : source];
      outside_[j] = outside;
      any_outside |= outside;
    }
    rows_.store().Gather(value_column_, sources_.data(), count, result, 0);
    if (any_outside) FillRows(default_, outside_.data(), count, result);
  }

 private:
  const WindowRows& rows_;
  idx_t value_column_;
  std::optional<int64_t> delta_;  // nullopt: the offset is NULL
  Vector default_;                // constant
  std::vector<uint32_t> sources_;
  std::vector<uint8_t> outside_;
};

// first_value / last_value: the value at the frame's first or last row, NULL
// for an empty frame.
class FrameValueEvaluator : public WindowEvaluator {
 public:
  FrameValueEvaluator(const WindowFunction& function, const WindowRows& rows, idx_t value_column)
      : function_(function),
        rows_(rows),
        value_column_(value_column),
        last_(function.kind == WindowFunctionKind::kLastValue),
        null_(Value::Null(function.return_type)),
        begin_(kBatchSize),
        end_(kBatchSize),
        sources_(kBatchSize),
        empty_(kBatchSize) {}

  void Evaluate(const WindowBatch& batch, Vector& result) override {
    const idx_t count = batch.count;
    ComputeFrameBounds(function_.frame, batch, begin_.data(), end_.data());
    const uint32_t* order = rows_.order();
    bool any_empty = false;
    for (idx_t j = 0; j < count; j++) {
      const bool empty = begin_[j] >= end_[j];
      const idx_t position = empty ? batch.first + j : (last_ ? end_[j] - 1 : begin_[j]);
      sources_[j] = order[position];
      empty_[j] = empty;
      any_empty |= empty;
    }
    rows_.store().Gather(value_column_, sources_.data(), count, result, 0);
    if (any_empty) FillRows(null_, empty_.data(), count, result);
  }

 private:
  const WindowFunction& function_;
  const WindowRows& rows_;
  idx_t value_column_;
  bool last_;
  Vector null_;
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> end_;
  std::vector<uint32_t> sources_;
  std::vector<uint8_t> empty_;
};

bool IsRanking(WindowFunctionKind kind) {
  return kind == WindowFunctionKind::kRowNumber || kind == WindowFunctionKind::kRank ||
         kind == WindowFunctionKind::kDenseRank;
}

// The integer value of a constant argument; nullopt for NULL.
std::optional<int64_t> ConstantInteger(const Expression& arg) {
  const Value v = ExpressionExecutor::EvaluateConstant(arg);
  if (v.IsNull()) return std::nullopt;
  BASALT_CHECK(v.type().IsInteger());
  return v.GetInt64();
}

void CheckConstant(const WindowFunction& function, idx_t arg) {
  if (!function.args[arg]->IsFoldable()) {
    ThrowError(sqlstate::kFeatureNotSupported, "argument {} of {} must be a constant", arg + 1,
               WindowFunctionName(function));
  }
}

}  // namespace

std::string WindowFunctionName(const WindowFunction& function) {
  switch (function.kind) {
    case WindowFunctionKind::kRowNumber:
      return "row_number";
    case WindowFunctionKind::kRank:
      return "rank";
    case WindowFunctionKind::kDenseRank:
      return "dense_rank";
    case WindowFunctionKind::kNtile:
      return "ntile";
    case WindowFunctionKind::kLag:
      return "lag";
    case WindowFunctionKind::kLead:
      return "lead";
    case WindowFunctionKind::kFirstValue:
      return "first_value";
    case WindowFunctionKind::kLastValue:
      return "last_value";
    case WindowFunctionKind::kAggregate:
      return function.aggregate.name;
  }
  return "?";
}

bool IsStoredWindowArgument(WindowFunctionKind kind, idx_t arg) {
  switch (kind) {
    case WindowFunctionKind::kNtile:
      return false;
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead:
      return arg == 0;
    default:
      return true;
  }
}

void ValidateWindowFunction(const WindowFunction& function) {
  ValidateWindowFrame(function.frame);
  const idx_t args = function.args.size();
  const LogicalType bigint(TypeId::kBigint);
  switch (function.kind) {
    case WindowFunctionKind::kRowNumber:
    case WindowFunctionKind::kRank:
    case WindowFunctionKind::kDenseRank:
      BASALT_CHECK_EQ(args, 0u);
      BASALT_CHECK(function.return_type == bigint);
      return;
    case WindowFunctionKind::kNtile:
      BASALT_CHECK_EQ(args, 1u);
      BASALT_CHECK(function.args[0]->type.IsInteger() ||
                   function.args[0]->type.id() == TypeId::kNull);
      BASALT_CHECK(function.return_type == bigint);
      CheckConstant(function, 0);
      return;
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead:
      BASALT_CHECK(args >= 1 && args <= 3);
      BASALT_CHECK(function.return_type == function.args[0]->type);
      if (args >= 2) {
        CheckConstant(function, 1);
        BASALT_CHECK(function.args[1]->type.IsInteger() ||
                     function.args[1]->type.id() == TypeId::kNull);
      }
      if (args == 3) {
        CheckConstant(function, 2);
        BASALT_CHECK(function.args[2]->type == function.return_type ||
                     function.args[2]->type.id() == TypeId::kNull);
      }
      return;
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
      BASALT_CHECK_EQ(args, 1u);
      BASALT_CHECK(function.return_type == function.args[0]->type);
      return;
    case WindowFunctionKind::kAggregate: {
      const BoundAggregateFunction& f = function.aggregate;
      BASALT_CHECK_EQ(args, f.arg_types.size());
      BASALT_CHECK(function.return_type == f.return_type);
      BASALT_CHECK(f.initialize && f.update && f.combine && f.finalize);
      return;
    }
  }
}

std::unique_ptr<WindowEvaluator> MakeWindowEvaluator(const WindowFunction& function,
                                                     const WindowRows& rows,
                                                     const std::vector<idx_t>& arg_columns) {
  const WindowFunctionKind kind = function.kind;
  if (IsRanking(kind)) return std::make_unique<RankingEvaluator>(kind);
  switch (kind) {
    case WindowFunctionKind::kNtile: {
      const std::optional<int64_t> buckets = ConstantInteger(*function.args[0]);
      if (!buckets || *buckets <= 0) {
        ThrowError(kInvalidArgumentForNtile, "argument of ntile must be greater than zero");
      }
      return std::make_unique<NtileEvaluator>(*buckets);
    }
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead: {
      std::optional<int64_t> offset = 1;
      if (function.args.size() >= 2) offset = ConstantInteger(*function.args[1]);
      if (offset) {
        offset = std::clamp(*offset, -kMaxWindowOffset, kMaxWindowOffset);
        if (kind == WindowFunctionKind::kLag) offset = -*offset;
      }
      Value default_value = Value::Null(function.return_type);
      if (function.args.size() == 3) {
        default_value = ExpressionExecutor::EvaluateConstant(*function.args[2]);
      }
      return std::make_unique<LagLeadEvaluator>(rows, arg_columns.at(0), offset, default_value,
                                                function.return_type);
    }
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
      return std::make_unique<FrameValueEvaluator>(function, rows, arg_columns.at(0));
    case WindowFunctionKind::kAggregate:
      return MakeWindowAggregateEvaluator(function, rows, arg_columns);
    default:
      break;
  }
  ThrowError(sqlstate::kInternalError, "internal error: unknown window function kind {}",
             static_cast<int>(kind));
}

}  // namespace basalt
