#include "exec/operators/table_scan.h"

#include <fmt/format.h>

#include <atomic>

#include "exec/expression_executor.h"
#include "exec/operators/filter.h"
#include "exec/operators/scan_predicates.h"
#include "exec/operators/segment_scan.h"
#include "storage/managed/segment_handle.h"
#include "exec/query_context.h"

namespace basalt {

namespace {

struct TableScanState {
  std::shared_ptr<const TableData> data;
  std::vector<std::shared_ptr<const DataChunk>> batches;
  std::atomic<size_t> next_batch{0};
  // Managed tables: the snapshot's segments (null when it has none).
  std::unique_ptr<SegmentScanShared> segments;
};

class TableScanOperator : public Operator {
 public:
  TableScanOperator(const TableScanNode& node, InstanceContext& ctx)
      : Operator(node), plan_(node), state_(ctx.query->GetSharedState<TableScanState>(node.id)) {
    if (state_.segments) {
      segments_ = std::make_unique<SegmentScanLocal>(*state_.segments, &stats_.counters);
    }
  }

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      // A filter that rejects whole batches would otherwise keep this loop
      // going long after the query was stopped.
      if (QueryStopped()) return OperatorResult::kFinished;
      size_t i = state_.next_batch.fetch_add(1, std::memory_order_relaxed);
      if (i >= state_.batches.size()) return NextFromSegments(out);
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
  OperatorResult NextFromSegments(DataChunk& out) {
    if (!segments_) return OperatorResult::kFinished;
    while (true) {
      if (segments_->Next(out)) return OperatorResult::kHaveData;
      // Between morsels, so that blocks the filter empties do not keep a
      // stopped query going.
      if (QueryStopped() || !segments_->NextMorsel()) return OperatorResult::kFinished;
    }
  }

  const TableScanNode& plan_;
  TableScanState& state_;
  ExpressionExecutor executor_;
  std::unique_ptr<SegmentScanLocal> segments_;
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
  // What can skip segments and blocks, for tables that have segments.
  if (table && table->storage && !table->storage->Snapshot()->segments.empty()) {
    std::vector<ScanPredicate> pruning = PruningPredicates();
    for (size_t i = 0; i < pruning.size(); i++) {
      const idx_t column = pruning[i].column;
      out += i == 0 ? " pruning: " : ", ";
      out += pruning[i].ToString(column < table->columns.size() ? table->columns[column].name
                                                                : fmt::format("#{}", column));
    }
  }
  return out;
}

std::vector<ScanPredicate> TableScanNode::PruningPredicates() const {
  if (!filter || !table) return {};
  return ExtractScanPredicates(*filter, column_ids, table->Types());
}

std::unique_ptr<Operator> TableScanNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<TableScanOperator>(*this, ctx);
}

std::shared_ptr<void> TableScanNode::CreateSharedState(QueryContext& query) const {
  auto state = std::make_shared<TableScanState>();
  state->data = table->storage->Snapshot();
  // In a cluster, this node's share of the batches and segments.
  const ScanShare& share = query.scan_share();
  std::vector<std::string> ids;
  if (!share.whole()) {
    for (size_t i = 0; i < state->data->batches.size(); i++) ids.push_back(fmt::format("b{}", i));
    for (const auto& segment : state->data->segments) ids.push_back(segment->id());
  }
  std::vector<bool> mine = share.Mine(ids);
  const size_t batch_count = state->data->batches.size();
  for (size_t i = 0; i < batch_count; i++) {
    if (share.whole() || mine[i]) state->batches.push_back(state->data->batches[i]);
  }
  std::vector<std::shared_ptr<SegmentHandle>> segments;
  for (size_t i = 0; i < state->data->segments.size(); i++) {
    if (share.whole() || mine[batch_count + i]) segments.push_back(state->data->segments[i]);
  }
  if (!segments.empty()) {
    state->segments = std::make_unique<SegmentScanShared>(
        std::move(segments), PruningPredicates(), table->partitioning, table->Types(),
        SegmentScanLayout::Make(column_ids, filter.get()));
  }
  return state;
}

}  // namespace basalt
