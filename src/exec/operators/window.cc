#include "exec/operators/window.h"

#include <algorithm>

#include "common/exception.h"
#include "exec/expression_executor.h"
#include "exec/operators/sort.h"
#include "exec/operators/window_evaluator.h"
#include "exec/operators/window_rows.h"

namespace basalt {

namespace {

// Registers every stored expression of `node` with `layout`: partition keys,
// order keys, then the functions' stored arguments.
struct WindowColumns {
  std::vector<idx_t> partition;
  std::vector<SortColumn> order;
  std::vector<std::vector<idx_t>> arguments;  // per function, per argument

  WindowColumns(const WindowNode& node, WindowLayout& layout) {
    for (const auto& expr : node.partition_by) partition.push_back(layout.Add(*expr));
    for (const SortKey& key : node.order_by) {
      order.push_back(SortColumn{layout.Add(*key.expr), key.descending, key.nulls_first});
    }
    for (const WindowFunction& function : node.functions) {
      std::vector<idx_t>& columns = arguments.emplace_back();
      for (idx_t i = 0; i < function.args.size(); i++) {
        // Constant arguments get a placeholder column they never read.
        columns.push_back(IsStoredWindowArgument(function.kind, i) ? layout.Add(*function.args[i])
                                                                   : 0);
      }
    }
  }
};

WindowLayout MakeLayout(const WindowNode& node) {
  for (const WindowFunction& function : node.functions) ValidateWindowFunction(function);
  const std::vector<LogicalType>& input_types = node.children.at(0)->types;
  BASALT_CHECK_EQ(node.types.size(), input_types.size() + node.functions.size());
  for (idx_t c = 0; c < input_types.size(); c++) BASALT_CHECK(node.types[c] == input_types[c]);
  for (idx_t f = 0; f < node.functions.size(); f++) {
    BASALT_CHECK(node.types[input_types.size() + f] == node.functions[f].return_type);
  }
  return WindowLayout(input_types);
}

class WindowOperator : public Operator {
 public:
  explicit WindowOperator(const WindowNode& node)
      : Operator(node),
        plan_(node),
        layout_(MakeLayout(node)),
        columns_(node, layout_),
        rows_(layout_.types(), columns_.partition, columns_.order) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (!input_done_) {
      switch (children_[0]->Next(input_)) {
        case OperatorResult::kBlocked:
          return OperatorResult::kBlocked;
        case OperatorResult::kFinished:
          input_done_ = true;
          input_ = DataChunk();
          Prepare();
          memory_.Set(rows_.MemoryUsage());
          break;
        case OperatorResult::kHaveData:
          if (input_.size() > 0) {
            layout_.Append(executor_, input_, rows_.store());
            memory_.Set(rows_.MemoryUsage());
          }
          break;
      }
    }
    if (emitted_ >= rows_.size()) return OperatorResult::kFinished;
    return Emit(out);
  }

 private:
  // Sorts the rows and creates the evaluators (only with rows to apply them
  // to: ntile(0) over no rows is no error, as in PostgreSQL).
  void Prepare() {
    rows_.Finish();
    if (rows_.size() == 0) return;
    for (idx_t f = 0; f < plan_.functions.size(); f++) {
      evaluators_.push_back(MakeWindowEvaluator(plan_.functions[f], rows_, columns_.arguments[f]));
    }
  }

  OperatorResult Emit(DataChunk& out) {
    const idx_t count = std::min(kBatchSize, rows_.size() - emitted_);
    rows_.DescribeBatch(emitted_, count, batch_);
    DataChunk chunk;
    for (idx_t c = 0; c < layout_.input_column_count(); c++) {
      Vector column(layout_.types()[c]);
      rows_.store().Gather(c, batch_.rows, count, column, 0);
      chunk.AddColumn(std::move(column));
    }
    for (idx_t f = 0; f < evaluators_.size(); f++) {
      Vector column(plan_.functions[f].return_type);
      evaluators_[f]->Evaluate(batch_, column);
      chunk.AddColumn(std::move(column));
    }
    chunk.SetSize(count);
    out.Reference(chunk);
    emitted_ += count;
    return OperatorResult::kHaveData;
  }

  const WindowNode& plan_;
  ExpressionExecutor executor_;
  WindowLayout layout_;
  WindowColumns columns_;
  WindowRows rows_;
  std::vector<std::unique_ptr<WindowEvaluator>> evaluators_;
  WindowBatch batch_;
  DataChunk input_;
  bool input_done_ = false;
  idx_t emitted_ = 0;
};

}  // namespace

std::string WindowNode::Details() const {
  std::string out;
  if (!partition_by.empty()) out += "partition: " + JoinExpressions(partition_by);
  if (!order_by.empty()) {
    if (!out.empty()) out += "; ";
    out += "order: " + SortKeysToString(order_by);
  }
  for (size_t f = 0; f < functions.size(); f++) {
    const WindowFunction& function = functions[f];
    out += f == 0 ? (out.empty() ? "functions: " : "; functions: ") : ", ";
    out += WindowFunctionName(function) + "(" + JoinExpressions(function.args) + ")";
    // The frame only matters to the functions that read it.
    if (function.kind == WindowFunctionKind::kAggregate ||
        function.kind == WindowFunctionKind::kFirstValue ||
        function.kind == WindowFunctionKind::kLastValue) {
      out += " " + WindowFrameToString(function.frame);
    }
  }
  return out;
}

std::unique_ptr<Operator> WindowNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<WindowOperator>(*this);
}

}  // namespace basalt
