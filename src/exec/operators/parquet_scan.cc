#include "exec/operators/parquet_scan.h"

#include <fmt/format.h>

#include <atomic>
#include <utility>

#include "exec/expression_executor.h"
#include "exec/operators/filter.h"
#include "exec/operators/scan_predicates.h"
#include "exec/query_context.h"
#include "storage/parquet/parquet_statistics.h"

namespace basalt {

namespace {

struct ParquetScanState {
  // (file, row group) pairs in file order, less those pruned; read-only
  // once built.
  std::vector<std::pair<size_t, idx_t>> row_groups;
  uint64_t row_groups_total = 0;
  uint64_t row_groups_pruned = 0;
  uint64_t files_pruned = 0;
  std::atomic<size_t> next{0};
};

class ParquetScanOperator : public Operator {
 public:
  ParquetScanOperator(const ParquetScanNode& node, InstanceContext& ctx)
      : Operator(node),
        plan_(node),
        state_(ctx.query->GetSharedState<ParquetScanState>(node.id)),
        read_ids_(node.virtual_columns ? FileColumnIds(node.column_ids, *node.virtual_columns)
                                       : node.column_ids),
        pruning_(node.PruningPredicates()) {
    if (!pruning_.empty()) {
      // Data pages of the pruned-on columns, summed over instances.
      stats_.counters["pages_total"] = 0;
      stats_.counters["pages_pruned"] = 0;
    }
    // The row groups were counted once for all instances: one reports them.
    if (ctx.instance == 0) {
      stats_.counters["row_groups_total"] = state_.row_groups_total;
      stats_.counters["row_groups_pruned"] = state_.row_groups_pruned;
      if (plan_.virtual_columns) {
        stats_.counters["files_total"] = plan_.files->size();
        stats_.counters["files_pruned"] = state_.files_pruned;
      }
    }
  }

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      if (QueryStopped()) {
        CloseReader();
        return OperatorResult::kFinished;
      }
      if (!reader_) {
        size_t i = state_.next.fetch_add(1, std::memory_order_relaxed);
        if (i >= state_.row_groups.size()) return OperatorResult::kFinished;
        auto [file, row_group] = state_.row_groups[i];
        reader_ = std::make_unique<ParquetRowGroupReader>(
            *(*plan_.files)[file], row_group, read_ids_, pruning_.empty() ? nullptr : &pruning_,
            &ParquetPageMayMatch);
        file_ = file;
      }
      if (!plan_.virtual_columns) {
        if (!reader_->ReadChunk(out)) {
          CloseReader();
          continue;
        }
      } else {
        DataChunk read;
        if (!reader_->ReadChunk(read)) {
          CloseReader();
          continue;
        }
        out = plan_.virtual_columns->AddTo(std::move(read), file_, plan_.column_ids);
      }
      if (out.size() == 0) continue;
      if (plan_.filter && ApplyFilter(executor_, *plan_.filter, out) == 0) continue;
      return OperatorResult::kHaveData;
    }
  }

 private:
  void CloseReader() {
    if (reader_ && !pruning_.empty()) {
      stats_.counters["pages_total"] += reader_->pages_total();
      stats_.counters["pages_pruned"] += reader_->pages_pruned();
    }
    reader_.reset();
  }

  const ParquetScanNode& plan_;
  ParquetScanState& state_;
  // The file columns among column_ids: what the reader produces.
  std::vector<idx_t> read_ids_;
  // The scan's pruning predicates, for page pruning within row groups.
  std::vector<ScanPredicate> pruning_;
  std::unique_ptr<ParquetRowGroupReader> reader_;
  size_t file_ = 0;  // of reader_
  ExpressionExecutor executor_;
};

}  // namespace

std::string ParquetScanNode::Details() const {
  std::string out;
  if (files->size() == 1) {
    out = (*files)[0]->path();
  } else {
    out = fmt::format("{} files", files->size());
  }
  out += DescribeScanColumns(column_ids, names, virtual_columns.get());
  if (filter) out += " filter: " + filter->ToString();
  std::vector<ScanPredicate> pruning = PruningPredicates();
  for (size_t i = 0; i < pruning.size(); i++) {
    const idx_t column = pruning[i].column;
    out += i == 0 ? " pruning: " : ", ";
    out += pruning[i].ToString(column < names.size() ? names[column] : fmt::format("#{}", column));
  }
  return out;
}

std::unique_ptr<Operator> ParquetScanNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<ParquetScanOperator>(*this, ctx);
}

std::shared_ptr<void> ParquetScanNode::CreateSharedState(QueryContext& query) const {
  auto state = std::make_shared<ParquetScanState>();
  std::vector<ScanPredicate> pruning = PruningPredicates();
  std::vector<bool> matching =
      FilesMatchingFilter(filter.get(), column_ids, types, virtual_columns.get(), files->size());
  // In a cluster, this node reads only its share of the row groups
  // (query_context.h, ScanShare); the counters then describe that share.
  const ScanShare& share = query.scan_share();
  std::vector<std::string> ids;
  if (!share.whole()) {
    for (size_t f = 0; f < files->size(); f++) {
      const ParquetFile& file = *(*files)[f];
      for (idx_t g = 0; g < file.RowGroupCount(); g++) ids.push_back(fmt::format("{}#{}", file.path(), g));
    }
  }
  std::vector<bool> mine = share.Mine(ids);
  size_t range = 0;  // the number of the row group below, over every file
  for (size_t f = 0; f < files->size(); f++) {
    const ParquetFile& file = *(*files)[f];
    bool any_mine = false;
    for (idx_t g = 0; g < file.RowGroupCount(); g++, range++) {
      if (!share.whole() && !mine[range]) continue;
      any_mine = true;
      state->row_groups_total++;
      if (!matching[f]) {
        // A pruned file's row groups count as pruned too, so the totals stay comparable.
        state->row_groups_pruned++;
      } else if (!pruning.empty() && !ParquetRowGroupMayMatch(file, g, pruning)) {
        state->row_groups_pruned++;
      } else {
        state->row_groups.emplace_back(f, g);
      }
    }
    if (!matching[f] && (any_mine || share.whole())) state->files_pruned++;
  }
  return state;
}

std::vector<ScanPredicate> ParquetScanNode::PruningPredicates() const {
  if (!filter) return {};
  // Statistics exist only for the files' own columns.
  std::vector<LogicalType> all_types = file_types;
  if (virtual_columns) {
    all_types.insert(all_types.end(), virtual_columns->types.begin(), virtual_columns->types.end());
  }
  std::vector<ScanPredicate> predicates = ExtractScanPredicates(*filter, column_ids, all_types);
  std::erase_if(predicates, [&](const ScanPredicate& p) { return p.column >= file_types.size(); });
  return predicates;
}

}  // namespace basalt
