// Physical plans: an immutable tree of PhysicalNodes (what to run), from
// which each fragment instance builds its own tree of Operators (the running
// state). One plan serves every thread; nothing in a node changes while a
// query runs. See docs/execution.md.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "exec/query_context.h"

namespace basalt {

class Operator;
class Task;
class QueryContext;

// What an operator instance can see of the world it runs in.
struct InstanceContext {
  QueryContext* query = nullptr;
  // The fragment instance's index among its fragment's instances, and their count.
  int instance = 0;
  int num_instances = 1;
  // The task running this instance; blocked operators register it to be woken.
  Task* task = nullptr;
};

class PhysicalNode {
 public:
  virtual ~PhysicalNode() = default;

  // Unique within a query plan; keys shared state and profiles.
  int id = 0;
  std::vector<LogicalType> types;  // output columns
  std::vector<std::unique_ptr<PhysicalNode>> children;
  // Optimizer's estimate of output rows (for EXPLAIN).
  double estimated_rows = 0;

  virtual std::string Name() const = 0;
  // One line of parameters for EXPLAIN ("keys: #0, #2").
  virtual std::string Details() const { return ""; }
  virtual std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const = 0;
  // State shared by all instances of this node in one query (a scan's queue
  // of ranges). Created once before any instance starts.
  virtual std::shared_ptr<void> CreateSharedState(QueryContext& query) const { return nullptr; }
  // Whether the node reads a table or files: its rows count as scanned in
  // the query's progress, and its estimate as what the scans will return.
  virtual bool IsScan() const { return false; }
};

enum class OperatorResult : uint8_t {
  kHaveData,  // `out` holds at least one row
  kBlocked,   // nothing now; the task is woken when there may be (call again then)
  kFinished,  // no more rows, ever
};

struct OperatorStats {
  uint64_t rows_out = 0;
  uint64_t batches_out = 0;
  uint64_t cpu_nanos = 0;  // time in this operator including children
  // Approximate size of the batches returned (DataChunk::ApproximateBytes).
  uint64_t bytes_out = 0;
  // Operator-specific figures for profiles (a scan's segments and blocks
  // pruned); updated per block or batch, never per row.
  std::map<std::string, uint64_t> counters;
};

// The running state of one node in one fragment instance. Single-threaded.
// An operator that returns kBlocked keeps its progress and continues from
// there on the next call.
class Operator {
 public:
  explicit Operator(const PhysicalNode& node) : node_(node) {}
  virtual ~Operator() = default;

  // Produces the next batch into `out` (whose vectors the operator may
  // replace or reference; the caller consumes them before calling again).
  OperatorResult Next(DataChunk& out) {
    // A stopped query (cancelled, failed elsewhere, or its rows all read)
    // ends here, so that an operator that pulls its whole input in one call,
    // such as an aggregate over a large join, notices within a batch. What
    // it then produces is never used.
    if (QueryStopped()) return OperatorResult::kFinished;
    auto start = std::chrono::steady_clock::now();
    OperatorResult r = NextInternal(out);
    stats_.cpu_nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    if (r == OperatorResult::kHaveData) {
      stats_.rows_out += out.size();
      stats_.batches_out++;
      if (query_ != nullptr && query_->count_bytes()) stats_.bytes_out += out.ApproximateBytes();
      // Strings are counted by their references: a pass over their
      // characters is for EXPLAIN ANALYZE only.
      if (is_scan_) query_->progress().AddScanned(out.size(), out.FixedWidthBytes());
    }
    return r;
  }

  const PhysicalNode& node() const { return node_; }
  const OperatorStats& stats() const { return stats_; }
  std::vector<std::unique_ptr<Operator>>& children() { return children_; }
  void AddChild(std::unique_ptr<Operator> child) { children_.push_back(std::move(child)); }
  // The query whose cancellation Next checks (CreateOperatorTree sets it).
  void set_query(const QueryContext* query) {
    query_ = query;
    is_scan_ = query != nullptr && node_.IsScan();
  }
  // What the operator's structures hold (exec/memory_tracker.h); only the
  // operators that keep data set it.
  OperatorMemory& memory() { return memory_; }
  const OperatorMemory& memory() const { return memory_; }
  // The fragment instance this operator belongs to (for profiles).
  int instance() const { return instance_; }
  void set_instance(int instance) { instance_ = instance; }

 protected:
  virtual OperatorResult NextInternal(DataChunk& out) = 0;
  // For loops that run long inside one NextInternal call (a join probing a
  // batch against a large build side): whether to give up.
  bool QueryStopped() const { return query_ != nullptr && query_->IsCancelled(); }

  const PhysicalNode& node_;
  std::vector<std::unique_ptr<Operator>> children_;
  OperatorStats stats_;
  const QueryContext* query_ = nullptr;
  bool is_scan_ = false;  // counts its rows in the query's progress
  OperatorMemory memory_;
  int instance_ = 0;
};

// Builds the operator tree for a node tree: the node's operator, then its children.
std::unique_ptr<Operator> CreateOperatorTree(const PhysicalNode& node, InstanceContext& ctx);

}  // namespace basalt
