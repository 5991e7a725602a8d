// A physical plan cut into fragments at its exchanges (Drill's major
// fragments). Each fragment runs as `parallelism` instances (minor
// fragments); an exchange carries batches from every instance of its
// producing fragments to the instances of its consuming fragment. Fragment 0
// is the root: one instance, whose output goes to the client.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/physical_node.h"

namespace basalt {

enum class ExchangeType : uint8_t {
  kGather,     // every row to the single consumer instance
  kHash,       // each row to instance hash(keys) % consumers
  kBroadcast,  // every row to every consumer instance
};

// "gather", "hash" or "broadcast", as EXPLAIN and query profiles name them.
const char* ExchangeTypeName(ExchangeType type);

struct PlanFragment {
  int id = 0;
  std::unique_ptr<PhysicalNode> root;
  int parallelism = 1;
  // Where this fragment's output goes: an exchange id, or kClientExchange.
  int output_exchange = -1;
  ExchangeType output_type = ExchangeType::kGather;
  // Columns of the root's output that kHash partitions on.
  std::vector<idx_t> hash_columns;
  // In a cluster, the nodes its instances run on, for EXPLAIN; empty when
  // everything runs in this process.
  std::string hosts;
};

inline constexpr int kClientExchange = -1;

struct FragmentedPlan {
  // fragments[0] is the root fragment.
  std::vector<PlanFragment> fragments;
  int num_exchanges = 0;
  // For each exchange id, the fragment that consumes it.
  std::vector<int> exchange_consumer;
  std::vector<std::string> column_names;  // of the root's output
  std::vector<LogicalType> column_types;

  // EXPLAIN text: every fragment with its instances, operators and exchanges.
  std::string ToString() const;
  // EXPLAIN ANALYZE text: the same, each operator followed by what it did in
  // `profile` (rows against the estimate, batches, self time summed over
  // instances and the slowest instance's, counters), then the query's rows
  // returned, wall time and peak memory. A node run by several instances
  // gets one line per instance, at most `instance_lines` of them (0: none).
  std::string ToString(const QueryProfile& profile, int instance_lines = kInstanceLines) const;
  static constexpr int kInstanceLines = 16;
};

// Leaf of a fragment: reads the batches an exchange delivers to this instance.
class ExchangeReceiverNode : public PhysicalNode {
 public:
  int exchange_id = 0;
  ExchangeType exchange_type = ExchangeType::kGather;  // for EXPLAIN
  int source_fragment = 0;                             // for EXPLAIN
  std::string Name() const override { return "ExchangeReceiver"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
