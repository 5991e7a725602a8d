// Physical plans to and from protobuf messages (exec/serde/plan.proto), in
// binary or as JSON: how a coordinator hands plan fragments to executors.
// See docs/cluster.md, "Plans on the wire".
//
// What does not travel is rebuilt on the receiving side:
//   - functions are bound again through the FunctionRegistry by name and
//     argument types (expression_serde.h), and their result type checked;
//   - catalog tables are looked up in DeserializeContext::catalog by schema
//     and name, except managed tables on a receiver with a segment source,
//     which read the segments the plan lists; tables that exist only in the
//     plan travel with their rows;
//   - Parquet files are opened again.
//
// Errors (BasaltError): a plan the sender cannot express, 0A000 naming the
// node; a message that does not describe a well-formed plan (no node kind,
// a missing child, a column number out of range, node output types other
// than the node's kind and inputs give, expressions typed against their
// kind's rules, an exchange receiver in another fragment than the
// exchange's consumer, bad JSON), 08P01 (protocol
// violation: the message is wrong, not the query); a function unknown here,
// 42883, and one that binds to something else here than where it was
// planned, XX000, both naming it; a table that is missing or changed, 42P01
// / 40001; a plan nested too deeply for JSON or for this thread's stack,
// 54000.
//
// Thread safety: the functions keep no state; several plans may be
// (de)serialized at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exec/fragment.h"
#include "exec/serde/plan.pb.h"

namespace basalt {

class Catalog;
class SegmentHandle;
struct CatalogLookup;
struct SegmentRecord;
struct TableData;
struct SessionInfo;

// Version written into every FragmentedPlan message; others are refused.
inline constexpr uint32_t kPlanFormatVersion = 1;

// Nested messages a binary plan may have (an expression tree 1,000 levels
// deep, as the binder allows, inside a deep node tree). Deeper is refused
// with 08P01, and so is a plan the receiving thread lacks the stack for.
inline constexpr int kMaxPlanMessageDepth = 5000;

// What the receiving side resolves a plan against.
struct DeserializeContext {
  // Where table scans find their tables; a plan with a catalog table scan
  // and no catalog is refused (08P01).
  Catalog* catalog = nullptr;
  // For catalog functions (pg_table_is_visible, format_type, ...), which
  // read a catalog snapshot and the session. Null: one is made from
  // `catalog`'s current snapshot and `session` when a plan needs it.
  std::shared_ptr<const CatalogLookup> catalog_lookup;
  // The session a lookup made here sees (settings, search path); null: defaults.
  std::shared_ptr<const SessionInfo> session;
  // Set where an executor reads a plan from the network: node kinds a
  // coordinator never sends to executors (ColumnStatistics) are refused
  // with 08P01. File scans are allowed: the executors of a cluster read
  // files at the same paths (one shared file system).
  bool executor_plan = false;
  // Set on executors: how a managed table's segment, as the plan lists it
  // (its record and absolute directory in the shared warehouse), is read
  // here (cluster/segment_cache.h). With it, a scan of a managed table reads
  // the plan's segments and needs no catalog; without it, the table is
  // looked up in `catalog`.
  std::function<std::shared_ptr<SegmentHandle>(const SegmentRecord& record,
                                               const std::string& absolute_directory)>
      segment_source;
};

// Instances a fragment may run (more is refused with 08P01): keeps the sums
// of instances and the exchanges' queue counts within bounds.
inline constexpr int kMaxFragmentParallelism = 4096;

// The table versions whose segments a message lists (managed tables). The
// sender holds them while the plan runs, so no segment the plan lists is
// removed meanwhile: a segment an overwrite or DROP retires is removed when
// its last handle goes (docs/managed_storage.md).
using TableSnapshots = std::vector<std::shared_ptr<const TableData>>;

plan::FragmentedPlan PlanToProto(const FragmentedPlan& plan, TableSnapshots* snapshots = nullptr);
FragmentedPlan PlanFromProto(const plan::FragmentedPlan& message,
                             const DeserializeContext& context);

// The message in proto3's JSON mapping (field names in lowerCamelCase, 64-bit
// integers as strings, bytes as base64), and back. PlanFromJson refuses text
// that is not such a message with 08P01. protobuf's JSON conversion handles
// at most 64 levels of nested messages (100 when parsing): a plan with a
// deeper expression or node tree cannot be written as JSON (54000); use the
// binary form, which is what travels between processes.
std::string PlanToJson(const FragmentedPlan& plan);
FragmentedPlan PlanFromJson(const std::string& json, const DeserializeContext& context);

// The same for the binary wire format.
std::string PlanToBinary(const FragmentedPlan& plan);
FragmentedPlan PlanFromBinary(const std::string& bytes, const DeserializeContext& context);

// One node tree on its own (used for the fragments' roots; exposed for tests).
void NodeToProto(const PhysicalNode& node, plan::PhysicalNode* out,
                 TableSnapshots* snapshots = nullptr);
std::unique_ptr<PhysicalNode> NodeFromProto(const plan::PhysicalNode& message,
                                            const DeserializeContext& context);

}  // namespace basalt
