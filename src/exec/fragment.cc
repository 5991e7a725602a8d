#include "exec/fragment.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <optional>

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

std::string FormatMillis(uint64_t nanos) { return fmt::format("{:.3f} ms", nanos / 1e6); }

// "[rows=94 (est 34) batches=2 self=0.050 ms (max 0.031 ms) name=value ...]":
// what the node did, summed over the fragment's instances.
std::string ActualFigures(const PhysicalNode& node, const QueryProfile& profile,
                          int fragment_instances) {
  std::optional<NodeProfile> p = profile.node(node.id);
  if (!p) return "[not run]";
  std::string out = fmt::format("[rows={}", p->rows_out);
  if (node.estimated_rows > 0) out += fmt::format(" (est {:.0f})", std::ceil(node.estimated_rows));
  out += fmt::format(" batches={} self={}", p->batches_out, FormatMillis(p->self_nanos));
  // With one instance the slowest is the sum; printing it would only repeat.
  if (p->instances > 1) out += fmt::format(" (max {})", FormatMillis(p->max_self_nanos));
  if (p->instances != static_cast<uint64_t>(fragment_instances)) {
    out += fmt::format(" instances={}", p->instances);
  }
  for (const auto& [name, value] : p->counters) out += fmt::format(" {}={}", name, value);
  return out + "]";
}

// `profile` is null for EXPLAIN; then each line carries the estimate alone.
void AppendNode(const PhysicalNode& node, int depth, const QueryProfile* profile,
                int fragment_instances, std::string& out) {
  out.append(static_cast<size_t>(depth) * 2, ' ');
  out += node.Name();
  std::string details = node.Details();
  if (!details.empty()) out += " " + details;
  if (profile) {
    out += " " + ActualFigures(node, *profile, fragment_instances);
  } else if (node.estimated_rows > 0) {
    // Zero means the optimizer made no estimate; printing "~0 rows" would mislead.
    out += fmt::format(" (~{:.0f} rows)", std::ceil(node.estimated_rows));
  }
  out += "\n";
  for (const auto& child : node.children) {
    AppendNode(*child, depth + 1, profile, fragment_instances, out);
  }
}

std::string PlanText(const FragmentedPlan& plan, const QueryProfile* profile) {
  std::string out;
  for (const PlanFragment& fragment : plan.fragments) {
    out += fmt::format("Fragment {} [{} instance{}{}] -> ", fragment.id, fragment.parallelism,
                       fragment.parallelism == 1 ? "" : "s",
                       fragment.hosts.empty() ? "" : " on " + fragment.hosts);
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
    if (fragment.root) AppendNode(*fragment.root, 1, profile, fragment.parallelism, out);
  }
  return out;
}

}  // namespace

std::string ExchangeReceiverNode::Details() const {
  return fmt::format("from fragment {} ({})", source_fragment, ExchangeTypeName(exchange_type));
}

std::unique_ptr<Operator> ExchangeReceiverNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<ExchangeReceiverOperator>(*this, ctx);
}

std::string FragmentedPlan::ToString() const { return PlanText(*this, nullptr); }

std::string FragmentedPlan::ToString(const QueryProfile& profile) const {
  std::string out = PlanText(*this, &profile);
  out += fmt::format("Rows returned: {}\n", profile.rows_returned());
  out += fmt::format("Execution time: {}\n", FormatMillis(profile.wall_nanos()));
  return out;
}

}  // namespace basalt
