#include "exec/operators/projection.h"

#include "exec/expression_executor.h"

namespace basalt {

namespace {

class ProjectionOperator : public Operator {
 public:
  explicit ProjectionOperator(const ProjectionNode& node) : Operator(node), plan_(node) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    input_ = DataChunk();
    OperatorResult r = children_[0]->Next(input_);
    if (r != OperatorResult::kHaveData) return r;
    out = DataChunk();
    for (const auto& expr : plan_.expressions) {
      Vector result;
      executor_.Execute(*expr, input_, result);
      out.AddColumn(std::move(result));
    }
    out.SetSize(input_.size());
    return OperatorResult::kHaveData;
  }

 private:
  const ProjectionNode& plan_;
  DataChunk input_;
  ExpressionExecutor executor_;
};

}  // namespace

std::string ProjectionNode::Details() const { return JoinExpressions(expressions); }

std::unique_ptr<Operator> ProjectionNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<ProjectionOperator>(*this);
}

}  // namespace basalt
