#include "exec/operators/values.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/exception.h"

namespace basalt {

namespace {

class ValuesOperator : public Operator {
 public:
  ValuesOperator(const ValuesNode& node, bool emits) : Operator(node), plan_(node) {
    if (!emits) next_row_ = node.rows.size();
  }

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    if (next_row_ >= plan_.rows.size()) return OperatorResult::kFinished;
    idx_t count = std::min<idx_t>(kBatchSize, plan_.rows.size() - next_row_);
    out.Initialize(plan_.types);
    for (idx_t r = 0; r < count; r++) {
      const std::vector<Value>& row = plan_.rows[next_row_ + r];
      BASALT_CHECK_EQ(row.size(), plan_.types.size());
      for (idx_t c = 0; c < plan_.types.size(); c++) out.column(c).SetValue(r, row[c]);
    }
    out.SetSize(count);
    next_row_ += count;
    return OperatorResult::kHaveData;
  }

 private:
  const ValuesNode& plan_;
  size_t next_row_ = 0;
};

}  // namespace

std::string ValuesNode::Details() const {
  return fmt::format("{} row{}", rows.size(), rows.size() == 1 ? "" : "s");
}

std::unique_ptr<Operator> ValuesNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<ValuesOperator>(*this, ctx.instance == 0);
}

}  // namespace basalt
