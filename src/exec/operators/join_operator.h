// The running state common to the hash join and the nested loop join.
//
// Both joins read their whole build side (children[1]) into a ColumnStore,
// then stream the probe side (children[0]) a batch at a time. For each probe
// batch the derived class enumerates candidate pairs (probe row, build row):
// rows with equal keys for the hash join, every combination for the nested
// loop join. This class does the rest, the same for both:
//   - evaluates the residual predicate (over probe columns then build
//     columns) on each batch of up to kBatchSize pairs, so a key match that
//     fails the residual is no match, also for outer joins;
//   - emits matching pairs (inner, left, right, full, cross), or marks probe
//     rows as matched (semi, anti);
//   - after a probe batch, emits its unmatched rows with NULL build columns
//     (left, full), its matched rows (semi) or its unmatched rows (anti);
//   - after the probe side, emits build rows never matched with NULL probe
//     columns (right, full), tracked by one flag per build row.
// A child returning kBlocked makes the join return kBlocked; all progress
// (build so far, position inside a probe batch) is kept for the next call.
// One probe batch may produce any number of output batches.
#pragma once

#include <memory>
#include <vector>

#include "exec/expression.h"
#include "exec/expression_executor.h"
#include "exec/operators/chunk_accumulator.h"
#include "exec/operators/column_store.h"
#include "exec/operators/join_type.h"
#include "exec/physical_node.h"

namespace basalt {

class JoinOperator : public Operator {
 protected:
  // `residual` may be null (every candidate pair matches); it must outlive
  // the operator (it belongs to the plan node).
  JoinOperator(const PhysicalNode& node, JoinType type, const Expression* residual);

  // Takes one non-empty build batch. The build rows to output go to
  // build_store(); row ids there are what NextPairs reports.
  virtual void SinkBuild(const DataChunk& chunk) = 0;
  // The build side has ended.
  virtual void FinishBuild() {}
  // A non-empty probe batch starts; NextPairs enumerates its pairs.
  virtual void StartProbeBatch(const DataChunk& probe) = 0;
  // Writes up to kBatchSize candidate pairs of the current probe batch and
  // returns how many; 0 once the batch has no more. May skip the pairs of a
  // probe row for which ProbeRowDone() holds, and must give only one pair
  // per probe row (any one) when OnePairPerRow() holds.
  virtual idx_t NextPairs(uint32_t* probe_rows, uint32_t* build_rows) = 0;

  ColumnStore& build_store() { return build_store_; }
  // Bytes the build side holds beyond build_store() (a hash join's index).
  virtual uint64_t BuildIndexMemory() const { return 0; }
  JoinType join_type() const { return type_; }
  // Semi or anti join without residual: one candidate decides a probe row.
  bool OnePairPerRow() const { return one_pair_per_row_; }
  // A semi or anti join has already matched this probe row: its other pairs
  // cannot change the result.
  bool ProbeRowDone(idx_t row) const { return decided_by_match_ && probe_matched_[row]; }

 private:
  enum class Phase : uint8_t { kBuild, kProbe, kUnmatchedBuild, kDone };

  OperatorResult NextInternal(DataChunk& out) final;
  // Produces output from the current probe batch; false when the batch is
  // used up without output being ready.
  bool ProduceFromBatch(DataChunk& out);
  // After a batch's pairs: its unmatched / matched probe rows, as the type wants.
  bool EmitBatchTail(DataChunk& out);
  bool EmitUnmatchedBuild(DataChunk& out);
  // Passes `count` rows of `chunk` selected by `sel` on: directly when many,
  // through the accumulator when few. True when `out` holds a batch.
  bool Emit(DataChunk& chunk, const SelectionVector& sel, idx_t count, DataChunk& out);
  // Probe columns sliced to `probe_rows`, then build columns gathered from
  // `build_rows` (or all NULL when build_rows is null).
  DataChunk MakeOutputChunk(const uint32_t* probe_rows, const uint32_t* build_rows, idx_t count,
                            bool with_build);

  const JoinType type_;
  const Expression* residual_;
  const std::vector<LogicalType> probe_types_;
  const std::vector<LogicalType> build_types_;
  const bool one_pair_per_row_;
  const bool decided_by_match_;  // semi or anti
  const bool track_probe_matches_;
  const bool track_build_matches_;
  const bool emits_pairs_;

  Phase phase_ = Phase::kBuild;
  ColumnStore build_store_;
  std::vector<uint8_t> build_matched_;  // right and full joins
  idx_t unmatched_cursor_ = 0;

  DataChunk build_chunk_;
  DataChunk probe_;
  bool batch_active_ = false;
  bool pairs_done_ = false;
  std::vector<uint8_t> probe_matched_;  // per row of the current probe batch

  ExpressionExecutor executor_;
  ChunkAccumulator accumulator_;
  std::vector<uint32_t> pair_probe_rows_;
  std::vector<uint32_t> pair_build_rows_;
  SelectionVector selected_;
};

}  // namespace basalt
