#include "exec/operators/json_scan.h"

#include <fmt/format.h>

#include "exec/expression_executor.h"
#include "exec/operators/filter.h"
#include "exec/query_context.h"
#include "storage/json/json_reader.h"

namespace basalt {

namespace {

class JsonScanOperator : public Operator {
 public:
  JsonScanOperator(const JsonScanNode& node, InstanceContext& ctx)
      : Operator(node),
        plan_(node),
        state_(ctx.query->GetSharedState<FileRangeQueue>(node.id)),
        instances_(ctx.num_instances),
        read_ids_(node.virtual_columns ? FileColumnIds(node.column_ids, *node.virtual_columns)
                                       : node.column_ids) {
    if (ctx.instance == 0 && plan_.virtual_columns) {
      stats_.counters["files_total"] = plan_.files.size();
      stats_.counters["files_pruned"] = state_.files().pruned;
    }
  }

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      if (QueryStopped()) return OperatorResult::kFinished;
      if (!reader_) {
        FileRange range;
        if (!state_.Take(instances_, &range)) return OperatorResult::kFinished;
        file_ = range.file;
        // Opened here rather than when the operator is built, so a missing
        // or malformed file fails the query through the task.
        if (range.whole) {
          reader_ = std::make_unique<JsonReader>(plan_.files[file_], plan_.keys, plan_.file_types,
                                                 read_ids_);
        } else {
          stats_.counters["file_ranges"]++;
          reader_ = std::make_unique<JsonReader>(plan_.files[file_], range.start, range.end,
                                                 plan_.keys, plan_.file_types, read_ids_);
        }
      }
      // ReadChunk gives `out` fresh buffers each time, so the batch handed
      // out before stays valid while this one is read.
      if (!plan_.virtual_columns) {
        if (!reader_->ReadChunk(out)) {
          reader_.reset();
          continue;
        }
      } else {
        DataChunk read;
        if (!reader_->ReadChunk(read)) {
          reader_.reset();
          continue;
        }
        out = plan_.virtual_columns->AddTo(std::move(read), file_, plan_.column_ids);
      }
      if (plan_.filter && ApplyFilter(executor_, *plan_.filter, out) == 0) continue;
      return OperatorResult::kHaveData;
    }
  }

 private:
  const JsonScanNode& plan_;
  FileRangeQueue& state_;
  const int instances_;
  // The file columns among column_ids: what the reader produces.
  std::vector<idx_t> read_ids_;
  std::unique_ptr<JsonReader> reader_;
  size_t file_ = 0;  // of reader_
  ExpressionExecutor executor_;
};

}  // namespace

std::string JsonScanNode::Details() const {
  std::string out = files.size() == 1 ? files[0] : fmt::format("{} files", files.size());
  out += DescribeScanColumns(column_ids, keys, virtual_columns.get());
  if (filter) out += " filter: " + filter->ToString();
  return out;
}

std::unique_ptr<Operator> JsonScanNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<JsonScanOperator>(*this, ctx);
}

std::shared_ptr<void> JsonScanNode::CreateSharedState(QueryContext& query) const {
  auto queue = MakeFileQueue(filter.get(), column_ids, types, virtual_columns.get(), files.size());
  KeepScanShare(*queue, files, query.scan_share());
  return std::make_shared<FileRangeQueue>(std::move(queue), &files, SplitFormat::kJsonLines, nullptr,
                                          split_size);
}

}  // namespace basalt
