#include "exec/operators/file_scan.h"

#include <fmt/format.h>

#include "exec/expression_executor.h"
#include "exec/operators/filter.h"
#include "exec/query_context.h"
#include "storage/csv_reader.h"

namespace basalt {

namespace {

class FileScanOperator : public Operator {
 public:
  FileScanOperator(const FileScanNode& node, InstanceContext& ctx)
      : Operator(node),
        plan_(node),
        state_(ctx.query->GetSharedState<FileRangeQueue>(node.id)),
        instances_(ctx.num_instances) {
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
        // file fails the query through the task like any other read error.
        if (range.whole) {
          reader_ = std::make_unique<CsvReader>(plan_.files[file_], *plan_.options,
                                                plan_.file_types, plan_.names);
        } else {
          stats_.counters["file_ranges"]++;
          reader_ = std::make_unique<CsvReader>(plan_.files[file_], *plan_.options,
                                                plan_.file_types, plan_.names, range.start,
                                                range.end, CsvRangeBounds::kExactRecords);
        }
        file_chunk_.Initialize(plan_.file_types);
      }
      // ReadChunk gives file_chunk_ fresh buffers each time, so the batch
      // handed out before stays valid while this one is read.
      if (!reader_->ReadChunk(file_chunk_)) {
        reader_.reset();
        continue;
      }
      out = DataChunk();
      for (idx_t id : plan_.column_ids) {
        if (plan_.virtual_columns && plan_.virtual_columns->IsVirtual(id)) {
          out.AddColumn(plan_.virtual_columns->MakeVector(file_, id));
        } else {
          out.AddColumn(file_chunk_.column(id));
        }
      }
      out.SetSize(file_chunk_.size());
      if (out.size() == 0) continue;
      if (plan_.filter && ApplyFilter(executor_, *plan_.filter, out) == 0) continue;
      return OperatorResult::kHaveData;
    }
  }

 private:
  const FileScanNode& plan_;
  FileRangeQueue& state_;
  const int instances_;
  std::unique_ptr<CsvReader> reader_;
  size_t file_ = 0;  // of reader_
  DataChunk file_chunk_;
  ExpressionExecutor executor_;
};

}  // namespace

std::string FileScanNode::Details() const {
  std::string out;
  if (files.size() == 1) {
    out = files[0];
  } else {
    out = fmt::format("{} files", files.size());
  }
  out += DescribeScanColumns(column_ids, names, virtual_columns.get());
  if (filter) out += " filter: " + filter->ToString();
  return out;
}

std::unique_ptr<Operator> FileScanNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<FileScanOperator>(*this, ctx);
}

std::shared_ptr<void> FileScanNode::CreateSharedState(QueryContext& query) const {
  auto queue = MakeFileQueue(filter.get(), column_ids, types, virtual_columns.get(), files.size());
  KeepScanShare(*queue, files, query.scan_share());
  return std::make_shared<FileRangeQueue>(std::move(queue), &files, SplitFormat::kCsv, options,
                                          split_size);
}

}  // namespace basalt
