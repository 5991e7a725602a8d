#include "exec/operators/filter.h"

#include <algorithm>

namespace basalt {

idx_t ApplyFilter(ExpressionExecutor& executor, const Expression& predicate, DataChunk& chunk) {
  idx_t count = chunk.size();
  if (count == 0) return 0;
  // A fresh selection per batch: slices share it, and earlier batches that
  // still refer to their own selection must not see it change.
  SelectionVector sel(std::max<idx_t>(count, 1));
  idx_t kept = executor.Select(predicate, chunk, sel);
  if (kept < count) chunk.Slice(sel, kept);
  return kept;
}

namespace {

class FilterOperator : public Operator {
 public:
  explicit FilterOperator(const FilterNode& node) : Operator(node), plan_(node) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      OperatorResult r = children_[0]->Next(out);
      if (r != OperatorResult::kHaveData) return r;
      if (ApplyFilter(executor_, *plan_.predicate, out) > 0) return OperatorResult::kHaveData;
    }
  }

 private:
  const FilterNode& plan_;
  ExpressionExecutor executor_;
};

}  // namespace

std::string FilterNode::Details() const { return "predicate: " + predicate->ToString(); }

std::unique_ptr<Operator> FilterNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<FilterOperator>(*this);
}

}  // namespace basalt
