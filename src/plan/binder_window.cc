// Window functions: f(...) OVER (PARTITION BY ... ORDER BY ... frame). Each
// call is bound to its own column; BindSelect stacks one LogicalWindow per
// distinct PARTITION BY / ORDER BY above the aggregation.
#include <fmt/format.h>

#include "common/exception.h"
#include "exec/expression_executor.h"
#include "plan/binder.h"
#include "plan/binder_internal.h"

namespace basalt {

namespace {

struct RankingFunction {
  const char* name;
  WindowFunctionKind kind;
  size_t min_args, max_args;
};

constexpr RankingFunction kWindowOnlyFunctions[] = {
    {"row_number", WindowFunctionKind::kRowNumber, 0, 0},
    {"rank", WindowFunctionKind::kRank, 0, 0},
    {"dense_rank", WindowFunctionKind::kDenseRank, 0, 0},
    {"ntile", WindowFunctionKind::kNtile, 1, 1},
    {"lag", WindowFunctionKind::kLag, 1, 3},
    {"lead", WindowFunctionKind::kLead, 1, 3},
    {"first_value", WindowFunctionKind::kFirstValue, 1, 1},
    {"last_value", WindowFunctionKind::kLastValue, 1, 1},
};

// `describe_default` stands for a $n without a value while a prepared
// statement is described: offsets do not change the result's columns.
int64_t ConstantOffset(Binder& binder, const sql::ParsedExpression& e, const char* what,
                       int64_t describe_default) {
  ExpressionPtr bound = Binder::AddCast(binder.BindConstantExpression(e), TypeId::kBigint, e.position);
  std::optional<Value> v = binder.EvaluateConstantOrUnknown(*bound, e.position);
  if (!v) return describe_default;
  if (v->IsNull() || v->GetInt64() < 0) {
    ThrowErrorAt(sqlstate::kInvalidParameterValue /* 22013 in PostgreSQL */, e.position,
                 "{} must be a non-negative integer", what);
  }
  return v->GetInt64();
}

void ConvertBound(Binder& binder, const sql::FrameBound& bound, WindowFrameUnit unit,
                  const std::vector<LogicalOrderKey>& order_by, WindowBoundKind* kind,
                  int64_t* offset, double* range_offset) {
  switch (bound.kind) {
    case sql::FrameBoundKind::kUnboundedPreceding:
      *kind = WindowBoundKind::kUnboundedPreceding;
      return;
    case sql::FrameBoundKind::kUnboundedFollowing:
      *kind = WindowBoundKind::kUnboundedFollowing;
      return;
    case sql::FrameBoundKind::kCurrentRow:
      *kind = WindowBoundKind::kCurrentRow;
      return;
    case sql::FrameBoundKind::kPreceding:
    case sql::FrameBoundKind::kFollowing:
      *kind = bound.kind == sql::FrameBoundKind::kPreceding ? WindowBoundKind::kPreceding
                                                            : WindowBoundKind::kFollowing;
      if (unit == WindowFrameUnit::kRange) {
        // A distance in the ORDER BY key's values.
        if (order_by.size() != 1 || !order_by[0].expr->type.IsNumeric()) {
          ThrowErrorAt(sqlstate::kFeatureNotSupported, bound.offset->position,
                       "RANGE with an offset needs exactly one numeric ORDER BY key so far");
        }
        std::optional<Value> v = binder.EvaluateConstantOrUnknown(
            *Binder::AddCast(binder.BindConstantExpression(*bound.offset), TypeId::kDouble,
                             bound.offset->position),
            bound.offset->position);
        if (!v) {
          *range_offset = 0;  // described without values: the columns do not depend on it
          return;
        }
        if (v->IsNull() || !(v->GetDouble() >= 0)) {
          ThrowErrorAt(sqlstate::kInvalidParameterValue, bound.offset->position,
                       "frame offset must be a non-negative number");
        }
        *range_offset = v->GetDouble();
        return;
      }
      *offset = ConstantOffset(binder, *bound.offset, "frame offset", 0);
      return;
  }
}

}  // namespace

ExpressionPtr Binder::BindWindowCall(const sql::FunctionCallExpression& expr, SelectContext& ctx) {
  if (!ctx.windows) {
    ThrowErrorAt(sqlstate::kGroupingError /* 42P20 in PostgreSQL */, expr.position,
                 "window functions are not allowed in {}", ctx.aggregate_error_context);
  }
  if (ctx.inside_window) {
    ThrowErrorAt(sqlstate::kGroupingError, expr.position, "window function calls cannot be nested");
  }
  if (expr.distinct || expr.filter) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                 "DISTINCT and FILTER in window functions are not supported yet");
  }
  SelectContext inner = ctx;
  inner.inside_window = true;

  PendingWindow pending;
  LogicalWindowCall& call = pending.call;
  call.table_index = NextTableIndex();
  call.name = expr.ToString();
  const RankingFunction* ranking = nullptr;
  for (const auto& f : kWindowOnlyFunctions) {
    if (expr.name == f.name) ranking = &f;
  }
  if (ranking) {
    if (expr.args.size() < ranking->min_args || expr.args.size() > ranking->max_args) {
      ThrowErrorAt(sqlstate::kUndefinedFunction, expr.position,
                   "function {} takes {} to {} arguments", expr.name, ranking->min_args,
                   ranking->max_args);
    }
    call.kind = ranking->kind;
    switch (call.kind) {
      case WindowFunctionKind::kRowNumber:
      case WindowFunctionKind::kRank:
      case WindowFunctionKind::kDenseRank:
        call.return_type = TypeId::kBigint;
        break;
      case WindowFunctionKind::kNtile:
        call.args.push_back(AddCast(BindExpression(*expr.args[0], inner), TypeId::kBigint,
                                    expr.args[0]->position));
        call.return_type = TypeId::kBigint;
        break;
      case WindowFunctionKind::kLag:
      case WindowFunctionKind::kLead: {
        auto value = BindExpression(*expr.args[0], inner);
        if (value->untyped_literal) value = AddCast(std::move(value), TypeId::kVarchar);
        call.return_type = value->type;
        int64_t offset =
            expr.args.size() > 1 ? ConstantOffset(*this, *expr.args[1], "lag/lead offset", 1) : 1;
        ExpressionPtr fallback = expr.args.size() > 2
                                     ? AddCast(BindExpression(*expr.args[2], inner), value->type,
                                               expr.args[2]->position)
                                     : Expression::MakeConstant(Value::Null(value->type));
        // A $n without a value (describing) stays a placeholder: the plan is
        // not run, and the placeholder tells the description its type.
        bool column_free = true;
        VisitExpression(*fallback, [&](const Expression& e) {
          column_free &= e.kind != ExprKind::kColumnRef;
        });
        if (fallback->kind != ExprKind::kConstant &&
            !(column_free && AwaitsParameterValue(*fallback))) {
          ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.args[2]->position,
                       "the default of lag/lead must be a constant so far");
        }
        call.args.push_back(std::move(value));
        call.args.push_back(Expression::MakeConstant(Value::Bigint(offset)));
        call.args.push_back(std::move(fallback));
        break;
      }
      case WindowFunctionKind::kFirstValue:
      case WindowFunctionKind::kLastValue: {
        auto value = BindExpression(*expr.args[0], inner);
        if (value->untyped_literal) value = AddCast(std::move(value), TypeId::kVarchar);
        call.return_type = value->type;
        call.args.push_back(std::move(value));
        break;
      }
      case WindowFunctionKind::kAggregate:
        break;
    }
  } else if (FunctionRegistry::Get().HasAggregate(expr.name) || expr.is_star) {
    std::string name = expr.is_star ? "count_star" : expr.name;
    std::vector<LogicalType> types;
    for (const auto& a : expr.args) {
      auto bound = BindExpression(*a, inner);
      if (bound->untyped_literal) bound = AddCast(std::move(bound), TypeId::kVarchar);
      types.push_back(bound->type);
      call.args.push_back(std::move(bound));
    }
    auto fn = FunctionRegistry::Get().BindAggregate(name, types);
    if (!fn) {
      ThrowErrorAt(sqlstate::kUndefinedFunction, expr.position, "function {} does not exist",
                   expr.ToString());
    }
    for (size_t i = 0; i < call.args.size() && i < fn->arg_types.size(); i++) {
      call.args[i] = AddCast(std::move(call.args[i]), fn->arg_types[i], expr.position);
    }
    call.kind = WindowFunctionKind::kAggregate;
    call.return_type = fn->return_type;
    call.aggregate = std::move(*fn);
  } else {
    ThrowErrorAt(sqlstate::kUndefinedFunction, expr.position,
                 "function {} is not a window function", expr.name);
  }

  const sql::WindowSpec& spec = *expr.window;
  for (const auto& p : spec.partition_by) pending.partition_by.push_back(BindExpression(*p, inner));
  for (const auto& o : spec.order_by) {
    LogicalOrderKey key;
    key.expr = BindExpression(*o.expression, inner);
    key.descending = o.order == sql::OrderType::kDescending;
    key.nulls_first = o.nulls == sql::NullsOrder::kFirst ||
                      (o.nulls == sql::NullsOrder::kUnspecified && key.descending);
    pending.order_by.push_back(std::move(key));
  }
  WindowFrame frame;
  if (spec.frame) {
    frame.unit = spec.frame->unit == sql::FrameUnit::kRows ? WindowFrameUnit::kRows
                                                          : WindowFrameUnit::kRange;
    ConvertBound(*this, spec.frame->start, frame.unit, pending.order_by, &frame.start,
                 &frame.start_offset, &frame.start_range);
    ConvertBound(*this, spec.frame->end, frame.unit, pending.order_by, &frame.end,
                 &frame.end_offset, &frame.end_range);
    if (frame.start == WindowBoundKind::kUnboundedFollowing ||
        frame.end == WindowBoundKind::kUnboundedPreceding) {
      ThrowErrorAt(sqlstate::kSyntaxError /* 42P20 */, expr.position, "invalid window frame bounds");
    }
  } else {
    // SQL's default: the partition up to the current row's last peer; with
    // no ORDER BY every row is a peer, so the whole partition.
    frame.unit = WindowFrameUnit::kRange;
    frame.start = WindowBoundKind::kUnboundedPreceding;
    frame.end = WindowBoundKind::kCurrentRow;
  }
  call.frame = frame;
  LogicalType type = call.return_type;
  uint32_t index = call.table_index;
  ctx.windows->push_back(std::move(pending));
  return Expression::MakeColumnRef(ColumnBinding{index, 0}, type, expr.ToString());
}

LogicalOperatorPtr Binder::PlanWindows(std::vector<PendingWindow> windows, LogicalOperatorPtr plan) {
  // Calls with the same PARTITION BY and ORDER BY share one operator.
  std::vector<bool> done(windows.size(), false);
  for (size_t i = 0; i < windows.size(); i++) {
    if (done[i]) continue;
    auto window = std::make_unique<LogicalWindow>();
    window->partition_by = std::move(windows[i].partition_by);
    window->order_by = std::move(windows[i].order_by);
    window->calls.push_back(std::move(windows[i].call));
    for (size_t j = i + 1; j < windows.size(); j++) {
      if (done[j]) continue;
      const auto& w = windows[j];
      bool same = w.partition_by.size() == window->partition_by.size() &&
                  w.order_by.size() == window->order_by.size();
      for (size_t k = 0; same && k < w.partition_by.size(); k++) {
        same = w.partition_by[k]->Equals(*window->partition_by[k]);
      }
      for (size_t k = 0; same && k < w.order_by.size(); k++) {
        same = w.order_by[k].expr->Equals(*window->order_by[k].expr) &&
               w.order_by[k].descending == window->order_by[k].descending &&
               w.order_by[k].nulls_first == window->order_by[k].nulls_first;
      }
      if (!same) continue;
      window->calls.push_back(std::move(windows[j].call));
      done[j] = true;
    }
    window->children.push_back(std::move(plan));
    plan = std::move(window);
  }
  return plan;
}

}  // namespace basalt
