#include "exec/physical_node.h"

namespace basalt {

std::unique_ptr<Operator> CreateOperatorTree(const PhysicalNode& node, InstanceContext& ctx) {
  // The parent exists before its children so that a failure while building a
  // child leaves nothing half-linked: the unique_ptrs free what was built.
  std::unique_ptr<Operator> op = node.CreateOperator(ctx);
  op->set_query(ctx.query);
  op->set_instance(ctx.instance);
  if (ctx.query != nullptr) op->memory().Attach(&ctx.query->memory(), node.Name());
  for (const auto& child : node.children) op->AddChild(CreateOperatorTree(*child, ctx));
  return op;
}

}  // namespace basalt
