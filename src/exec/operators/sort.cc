#include "exec/operators/sort.h"

#include <algorithm>
#include <numeric>

#include "exec/expression_executor.h"
#include "exec/operators/column_store.h"
#include "exec/operators/sort_rows.h"

namespace basalt {

namespace {

class SortOperator : public Operator {
 public:
  explicit SortOperator(const SortNode& node)
      : Operator(node),
        layout_(node.keys, node.children.at(0)->types),
        store_(layout_.store_types()) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (!input_done_) {
      switch (children_[0]->Next(input_)) {
        case OperatorResult::kBlocked:
          return OperatorResult::kBlocked;
        case OperatorResult::kFinished:
          input_done_ = true;
          input_ = DataChunk();
          order_.resize(store_.size());
          std::iota(order_.begin(), order_.end(), uint32_t{0});
          SortRows(store_, layout_.columns(), order_.data(), order_.size());
          memory_.Set(store_.MemoryUsage() + order_.capacity() * sizeof(uint32_t));
          break;
        case OperatorResult::kHaveData:
          if (input_.size() == 0) break;
          layout_.EvaluateKeys(executor_, input_, key_vectors_);
          layout_.Append(input_, key_vectors_, nullptr, input_.size(), store_);
          memory_.Set(store_.MemoryUsage());
          break;
      }
    }
    if (emitted_ >= order_.size()) return OperatorResult::kFinished;
    const idx_t count = std::min(kBatchSize, order_.size() - emitted_);
    DataChunk chunk = layout_.Gather(store_, order_.data() + emitted_, count);
    out.Reference(chunk);
    emitted_ += count;
    return OperatorResult::kHaveData;
  }

 private:
  SortLayout layout_;
  ColumnStore store_;
  ExpressionExecutor executor_;
  std::vector<Vector> key_vectors_;
  DataChunk input_;
  bool input_done_ = false;
  std::vector<uint32_t> order_;
  idx_t emitted_ = 0;
};

}  // namespace

std::string SortKeysToString(const std::vector<SortKey>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); i++) {
    if (i > 0) out += ", ";
    out += keys[i].expr->ToString();
    if (keys[i].descending) out += " DESC";
    // Only placements that differ from SQL's default for the direction are shown.
    if (keys[i].nulls_first != keys[i].descending) {
      out += keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
    }
  }
  return out;
}

std::string SortNode::Details() const { return "keys: " + SortKeysToString(keys); }

std::unique_ptr<Operator> SortNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<SortOperator>(*this);
}

}  // namespace basalt
