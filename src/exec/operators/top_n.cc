#include "exec/operators/top_n.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "exec/expression_executor.h"
#include "exec/operators/column_store.h"
#include "exec/operators/sort.h"
#include "exec/operators/sort_rows.h"

namespace basalt {

namespace {

constexpr idx_t kMaxIdx = std::numeric_limits<idx_t>::max();

class TopNOperator : public Operator {
 public:
  explicit TopNOperator(const TopNNode& node)
      : Operator(node),
        layout_(node.keys, node.children.at(0)->types),
        store_(layout_.store_types()),
        offset_(node.offset),
        keep_(node.limit > kMaxIdx - node.offset ? kMaxIdx : node.limit + node.offset),
        selected_(kBatchSize) {
    // Compact when the rows beyond `keep_` are at least as many as `keep_`
    // (and a few batches' worth), so each compaction discards at least half.
    const idx_t slack = std::max(keep_, 4 * kBatchSize);
    compact_at_ = keep_ > kMaxIdx - slack ? kMaxIdx : keep_ + slack;
  }

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    // LIMIT 0 needs no input at all.
    if (keep_ == 0) return OperatorResult::kFinished;
    while (!input_done_) {
      switch (children_[0]->Next(input_)) {
        case OperatorResult::kBlocked:
          return OperatorResult::kBlocked;
        case OperatorResult::kFinished:
          input_done_ = true;
          input_ = DataChunk();
          Compact();
          emitted_ = std::min(offset_, order_.size());
          break;
        case OperatorResult::kHaveData:
          if (input_.size() > 0) Sink(input_);
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
  void Sink(const DataChunk& input) {
    layout_.EvaluateKeys(executor_, input, key_vectors_);
    if (has_boundary_) {
      const idx_t count = SelectRowsBefore(key_vectors_, input.size(), layout_.columns(), store_,
                                           boundary_, selected_.data());
      SelectionVector sel(selected_.data());
      if (count > 0) layout_.Append(input, key_vectors_, &sel, count, store_);
    } else {
      layout_.Append(input, key_vectors_, nullptr, input.size(), store_);
    }
    if (store_.size() >= compact_at_) Compact();
    memory_.Set(store_.MemoryUsage() + order_.capacity() * sizeof(uint32_t));
  }

  // Sorts the rows and keeps the best keep_ of them, in order, so that
  // order_ is the identity and the last row is the boundary.
  void Compact() {
    order_.resize(store_.size());
    std::iota(order_.begin(), order_.end(), uint32_t{0});
    SortRows(store_, layout_.columns(), order_.data(), order_.size());
    if (order_.size() > keep_) order_.resize(keep_);
    ColumnStore kept(layout_.store_types());
    kept.AppendRows(store_, order_.data(), order_.size());
    store_ = std::move(kept);
    std::iota(order_.begin(), order_.end(), uint32_t{0});
    has_boundary_ = store_.size() == keep_;
    if (has_boundary_) boundary_ = static_cast<uint32_t>(keep_ - 1);
  }

  SortLayout layout_;
  ColumnStore store_;
  const idx_t offset_;
  const idx_t keep_;  // limit + offset
  idx_t compact_at_ = 0;
  bool has_boundary_ = false;
  uint32_t boundary_ = 0;

  ExpressionExecutor executor_;
  std::vector<Vector> key_vectors_;
  std::vector<uint32_t> selected_;
  DataChunk input_;
  bool input_done_ = false;
  std::vector<uint32_t> order_;
  idx_t emitted_ = 0;
};

}  // namespace

std::string TopNNode::Details() const {
  std::string out = "keys: " + SortKeysToString(keys) + fmt::format("; limit: {}", limit);
  if (offset > 0) out += fmt::format("; offset: {}", offset);
  return out;
}

std::unique_ptr<Operator> TopNNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<TopNOperator>(*this);
}

}  // namespace basalt
