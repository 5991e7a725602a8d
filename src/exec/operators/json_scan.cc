#include "exec/operators/json_scan.h"

#include <fmt/format.h>

#include <atomic>

#include "exec/expression_executor.h"
#include "exec/operators/filter.h"
#include "exec/query_context.h"
#include "storage/json/json_reader.h"

namespace basalt {

namespace {

struct JsonScanState {
  std::atomic<size_t> next_file{0};
};

class JsonScanOperator : public Operator {
 public:
  JsonScanOperator(const JsonScanNode& node, InstanceContext& ctx)
      : Operator(node), plan_(node), state_(ctx.query->GetSharedState<JsonScanState>(node.id)) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      if (QueryStopped()) return OperatorResult::kFinished;
      if (!reader_) {
        size_t i = state_.next_file.fetch_add(1, std::memory_order_relaxed);
        if (i >= plan_.files.size()) return OperatorResult::kFinished;
        // Opened here rather than when the operator is built, so a missing
        // or malformed file fails the query through the task.
        reader_ = std::make_unique<JsonReader>(plan_.files[i], plan_.keys, plan_.file_types,
                                               plan_.column_ids);
      }
      // ReadChunk gives `out` fresh buffers each time, so the batch handed
      // out before stays valid while this one is read.
      if (!reader_->ReadChunk(out)) {
        reader_.reset();
        continue;
      }
      if (plan_.filter && ApplyFilter(executor_, *plan_.filter, out) == 0) continue;
      return OperatorResult::kHaveData;
    }
  }

 private:
  const JsonScanNode& plan_;
  JsonScanState& state_;
  std::unique_ptr<JsonReader> reader_;
  ExpressionExecutor executor_;
};

}  // namespace

std::string JsonScanNode::Details() const {
  std::string out = files.size() == 1 ? files[0] : fmt::format("{} files", files.size());
  if (!column_ids.empty()) {
    out += " columns: ";
    for (size_t i = 0; i < column_ids.size(); i++) {
      if (i > 0) out += ", ";
      idx_t id = column_ids[i];
      out += id < keys.size() ? keys[id] : fmt::format("#{}", id);
    }
  }
  if (filter) out += " filter: " + filter->ToString();
  return out;
}

std::unique_ptr<Operator> JsonScanNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<JsonScanOperator>(*this, ctx);
}

std::shared_ptr<void> JsonScanNode::CreateSharedState(QueryContext& query) const {
  return std::make_shared<JsonScanState>();
}

}  // namespace basalt
