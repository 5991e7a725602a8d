#include "exec/operators/union_all.h"

#include <vector>

namespace basalt {

namespace {

class UnionAllOperator : public Operator {
 public:
  explicit UnionAllOperator(const UnionAllNode& node) : Operator(node) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    if (finished_.size() != children_.size()) finished_.assign(children_.size(), false);
    // One round over the unfinished children, starting where the last batch
    // came from so a child with data keeps being read in order.
    bool any_blocked = false;
    for (size_t step = 0; step < children_.size(); step++) {
      size_t i = (current_ + step) % children_.size();
      if (finished_[i]) continue;
      OperatorResult r = children_[i]->Next(out);
      if (r == OperatorResult::kHaveData) {
        current_ = i;
        return r;
      }
      if (r == OperatorResult::kBlocked) {
        // The child registered the task to be woken; whichever child wakes
        // it, the next call looks at all of them again.
        any_blocked = true;
      } else {
        finished_[i] = true;
      }
    }
    return any_blocked ? OperatorResult::kBlocked : OperatorResult::kFinished;
  }

 private:
  std::vector<bool> finished_;
  size_t current_ = 0;
};

}  // namespace

std::unique_ptr<Operator> UnionAllNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<UnionAllOperator>(*this);
}

}  // namespace basalt
