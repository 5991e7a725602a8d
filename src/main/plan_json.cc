#include "main/plan_json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>

namespace basalt {

namespace {

using nlohmann::json;

double Millis(uint64_t nanos) { return static_cast<double>(nanos) / 1e6; }

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

// The node and its children; `slowest` collects the node with the most self
// time, marked once the whole plan has been walked.
json NodeJson(const PhysicalNode& node, const QueryProfile& profile, json::json_pointer path,
              json::json_pointer* slowest_path, uint64_t* slowest_nanos) {
  json out = {{"id", node.id},
              {"name", node.Name()},
              {"details", node.Details()},
              {"estimated_rows", std::ceil(node.estimated_rows)},
              {"slowest", false}};
  if (const auto* receiver = dynamic_cast<const ExchangeReceiverNode*>(&node)) {
    out["source_fragment"] = receiver->source_fragment;
    out["exchange_type"] = ExchangeTypeName(receiver->exchange_type);
  }
  if (std::optional<NodeProfile> p = profile.node(node.id)) {
    out["rows"] = p->rows_out;
    out["batches"] = p->batches_out;
    out["instances"] = p->instances;
    out["time_ms"] = Millis(p->total_nanos);
    out["self_ms"] = Millis(p->self_nanos);
    out["max_self_ms"] = Millis(p->max_self_nanos);
    out["peak_memory"] = p->peak_memory;
    out["counters"] = p->counters;
    if (slowest_path->empty() || p->self_nanos > *slowest_nanos) {
      *slowest_path = path;
      *slowest_nanos = p->self_nanos;
    }
  } else {
    out["rows"] = nullptr;
  }
  json children = json::array();
  for (size_t i = 0; i < node.children.size(); i++) {
    children.push_back(NodeJson(*node.children[i], profile, path / "children" / i, slowest_path,
                                slowest_nanos));
  }
  out["children"] = std::move(children);
  return out;
}

}  // namespace

std::string PlanProfileJson(const FragmentedPlan& plan, const QueryProfile& profile) {
  json fragments = json::array();
  json::json_pointer slowest_path;
  uint64_t slowest_nanos = 0;
  for (size_t f = 0; f < plan.fragments.size(); f++) {
    const PlanFragment& fragment = plan.fragments[f];
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
    if (fragment.root) {
      entry["root"] = NodeJson(*fragment.root, profile,
                               json::json_pointer("/" + std::to_string(f) + "/root"),
                               &slowest_path, &slowest_nanos);
    }
    fragments.push_back(std::move(entry));
  }
  if (!slowest_path.empty()) fragments[slowest_path / "slowest"] = true;
  json out = {{"wall_ms", Millis(profile.wall_nanos())},
              {"rows_returned", profile.rows_returned()},
              {"peak_memory", profile.peak_memory()},
              {"fragments", std::move(fragments)}};
  // Invalid UTF-8 in a name or literal must not make the whole answer fail.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace basalt
