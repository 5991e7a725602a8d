#include "exec/fragment.h"

#include <fmt/format.h>

#include <cmath>

#include "exec/operators/exchange_receiver.h"

namespace basalt {

namespace {

const char* ExchangeTypeName(ExchangeType type) {
  switch (type) {
    case ExchangeType::kGather:
      return "gather";
    case ExchangeType::kHash:
      return "hash";
    case ExchangeType::kBroadcast:
      return "broadcast";
  }
  return "?";
}

void AppendNode(const PhysicalNode& node, int depth, std::string& out) {
  out.append(static_cast<size_t>(depth) * 2, ' ');
  out += node.Name();
  std::string details = node.Details();
  if (!details.empty()) out += " " + details;
  // Zero means the optimizer made no estimate; printing "~0 rows" would mislead.
  if (node.estimated_rows > 0) {
    out += fmt::format(" (~{:.0f} rows)", std::ceil(node.estimated_rows));
  }
  out += "\n";
  for (const auto& child : node.children) AppendNode(*child, depth + 1, out);
}

}  // namespace

std::string ExchangeReceiverNode::Details() const {
  return fmt::format("from fragment {} ({})", source_fragment, ExchangeTypeName(exchange_type));
}

std::unique_ptr<Operator> ExchangeReceiverNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<ExchangeReceiverOperator>(*this, ctx);
}

std::string FragmentedPlan::ToString() const {
  std::string out;
  for (const PlanFragment& fragment : fragments) {
    out += fmt::format("Fragment {} [{} instance{}] -> ", fragment.id, fragment.parallelism,
                       fragment.parallelism == 1 ? "" : "s");
    if (fragment.output_exchange == kClientExchange) {
      out += "client";
    } else {
      out += fmt::format("{} exchange {}", ExchangeTypeName(fragment.output_type),
                         fragment.output_exchange);
      if (fragment.output_type == ExchangeType::kHash) {
        out += " on (";
        for (size_t i = 0; i < fragment.hash_columns.size(); i++) {
          out += fmt::format("{}#{}", i > 0 ? ", " : "", fragment.hash_columns[i]);
        }
        out += ")";
      }
    }
    out += "\n";
    if (fragment.root) AppendNode(*fragment.root, 1, out);
  }
  return out;
}

}  // namespace basalt
