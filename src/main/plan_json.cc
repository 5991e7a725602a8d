#include "main/plan_json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

namespace basalt {

namespace {

using nlohmann::json;

double Millis(uint64_t nanos) { return static_cast<double>(nanos) / 1e6; }

// The node and its children, with the figures of `profile` (every node's,
// taken once); `slowest` is the id of the node to mark.
json NodeJson(const PhysicalNode& node, const std::map<int, NodeProfile>& profile, int slowest) {
  json out = {{"id", node.id},
              {"name", node.Name()},
              {"details", node.Details()},
              {"estimated_rows", std::ceil(node.estimated_rows)},
              {"slowest", node.id == slowest}};
  if (const auto* receiver = dynamic_cast<const ExchangeReceiverNode*>(&node)) {
    out["source_fragment"] = receiver->source_fragment;
    out["exchange_type"] = ExchangeTypeName(receiver->exchange_type);
  }
  if (auto it = profile.find(node.id); it != profile.end()) {
    const NodeProfile& p = it->second;
    out["rows"] = p.rows_out;
    out["batches"] = p.batches_out;
    out["instances"] = p.instances;
    out["time_ms"] = Millis(p.total_nanos);
    out["self_ms"] = Millis(p.self_nanos);
    out["max_self_ms"] = Millis(p.max_self_nanos);
    out["peak_memory"] = p.peak_memory;
    out["counters"] = p.counters;
  } else {
    out["rows"] = nullptr;
  }
  json children = json::array();
  for (const auto& child : node.children) children.push_back(NodeJson(*child, profile, slowest));
  out["children"] = std::move(children);
  return out;
}

}  // namespace

std::string PlanProfileJson(const FragmentedPlan& plan, const QueryProfile& profile) {
  const std::map<int, NodeProfile> figures = profile.nodes();
  // The operator with the most self time; the first such in id order.
  int slowest = -1;
  uint64_t slowest_nanos = 0;
  for (const auto& [id, p] : figures) {
    if (slowest < 0 || p.self_nanos > slowest_nanos) {
      slowest = id;
      slowest_nanos = p.self_nanos;
    }
  }
  json fragments = json::array();
  for (const PlanFragment& fragment : plan.fragments) {
    std::string output = "client";
    if (fragment.output_exchange != kClientExchange) {
      int consumer = fragment.output_exchange < static_cast<int>(plan.exchange_consumer.size())
                         ? plan.exchange_consumer[fragment.output_exchange]
                         : -1;
      output = std::string(ExchangeTypeName(fragment.output_type)) + " to fragment " +
               std::to_string(consumer);
    }
    json entry = {{"id", fragment.id},
                  {"parallelism", fragment.parallelism},
                  {"hosts", fragment.hosts},
                  {"output", output}};
    if (fragment.root) entry["root"] = NodeJson(*fragment.root, figures, slowest);
    fragments.push_back(std::move(entry));
  }
  json out = {{"wall_ms", Millis(profile.wall_nanos())},
              {"rows_returned", profile.rows_returned()},
              {"peak_memory", profile.peak_memory()},
              {"fragments", std::move(fragments)}};
  // Invalid UTF-8 in a name or literal must not make the whole answer fail.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace basalt
