#include "exec/operators/limit.h"

#include <fmt/format.h>

#include <algorithm>

namespace basalt {

namespace {

class LimitOperator : public Operator {
 public:
  explicit LimitOperator(const LimitNode& node)
      : Operator(node), limit_(node.limit), to_skip_(node.offset) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      if (limit_ != kNoLimit && emitted_ >= limit_) return OperatorResult::kFinished;
      OperatorResult r = children_[0]->Next(out);
      if (r != OperatorResult::kHaveData) return r;
      idx_t count = out.size();
      if (to_skip_ >= count) {
        to_skip_ -= count;
        continue;
      }
      idx_t start = to_skip_;
      to_skip_ = 0;
      idx_t take = count - start;
      if (limit_ != kNoLimit) take = std::min(take, limit_ - emitted_);
      if (take == 0) continue;
      if (start > 0 || take < count) {
        SelectionVector sel(take);
        for (idx_t i = 0; i < take; i++) sel.Set(i, static_cast<uint32_t>(start + i));
        out.Slice(sel, take);
      }
      emitted_ += take;
      return OperatorResult::kHaveData;
    }
  }

 private:
  const idx_t limit_;
  idx_t to_skip_;
  idx_t emitted_ = 0;
};

}  // namespace

std::string LimitNode::Details() const {
  if (limit == kNoLimit) return fmt::format("offset: {}", offset);
  return offset > 0 ? fmt::format("{} offset: {}", limit, offset) : fmt::format("{}", limit);
}

std::unique_ptr<Operator> LimitNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<LimitOperator>(*this);
}

}  // namespace basalt
