#include "exec/operators/table_scan.h"

#include <fmt/format.h>

#include <atomic>

#include "exec/expression_executor.h"
#include "exec/operators/filter.h"
#include "exec/query_context.h"

namespace basalt {

namespace {

struct TableScanState {
  std::vector<std::shared_ptr<const DataChunk>> batches;
  std::atomic<size_t> next_batch{0};
};

class TableScanOperator : public Operator {
 public:
  TableScanOperator(const TableScanNode& node, InstanceContext& ctx)
      : Operator(node), plan_(node), state_(ctx.query->GetSharedState<TableScanState>(node.id)) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      // A filter that rejects whole batches would otherwise keep this loop
      // going long after the query was stopped.
      if (QueryStopped()) return OperatorResult::kFinished;
      size_t i = state_.next_batch.fetch_add(1, std::memory_order_relaxed);
      if (i >= state_.batches.size()) return OperatorResult::kFinished;
      const DataChunk& batch = *state_.batches[i];
      if (batch.size() == 0) continue;
      out = DataChunk();
      for (idx_t id : plan_.column_ids) out.AddColumn(batch.column(id));
      out.SetSize(batch.size());
      if (plan_.filter && ApplyFilter(executor_, *plan_.filter, out) == 0) continue;
      return OperatorResult::kHaveData;
    }
  }

 private:
  const TableScanNode& plan_;
  TableScanState& state_;
  ExpressionExecutor executor_;
};

}  // namespace

std::string TableScanNode::Details() const {
  std::string out = table ? table->schema + "." + table->name : "?";
  if (!column_ids.empty()) {
    out += " columns: ";
    for (size_t i = 0; i < column_ids.size(); i++) {
      if (i > 0) out += ", ";
      idx_t id = column_ids[i];
      out += table && id < table->columns.size() ? table->columns[id].name : fmt::format("#{}", id);
    }
  }
  if (filter) out += " filter: " + filter->ToString();
  return out;
}

std::unique_ptr<Operator> TableScanNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<TableScanOperator>(*this, ctx);
}

std::shared_ptr<void> TableScanNode::CreateSharedState(QueryContext& query) const {
  auto state = std::make_shared<TableScanState>();
  state->batches = table->storage->Snapshot();
  return state;
}

}  // namespace basalt
