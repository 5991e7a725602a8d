#include "exec/operators/join_operator.h"

#include <algorithm>
#include <cstring>

#include "common/exception.h"

namespace basalt {

namespace {

const std::vector<LogicalType>& ChildTypes(const PhysicalNode& node, idx_t child) {
  BASALT_CHECK_EQ(node.children.size(), idx_t{2});
  return node.children[child]->types;
}

std::vector<LogicalType> OutputTypes(const PhysicalNode& node, JoinType type) {
  std::vector<LogicalType> types = ChildTypes(node, 0);
  if (JoinOutputsBuild(type)) {
    const auto& build = ChildTypes(node, 1);
    types.insert(types.end(), build.begin(), build.end());
  }
  return types;
}

}  // namespace

JoinOperator::JoinOperator(const PhysicalNode& node, JoinType type, const Expression* residual)
    : Operator(node),
      type_(type),
      residual_(residual),
      probe_types_(ChildTypes(node, 0)),
      build_types_(ChildTypes(node, 1)),
      one_pair_per_row_((type == JoinType::kSemi || type == JoinType::kAnti) && !residual),
      decided_by_match_(type == JoinType::kSemi || type == JoinType::kAnti),
      track_probe_matches_(type == JoinType::kLeft || type == JoinType::kFull ||
                           type == JoinType::kSemi || type == JoinType::kAnti),
      track_build_matches_(type == JoinType::kRight || type == JoinType::kFull),
      emits_pairs_(JoinOutputsBuild(type)),
      build_store_(build_types_),
      probe_matched_(kBatchSize),
      accumulator_(OutputTypes(node, type)),
      pair_probe_rows_(kBatchSize),
      pair_build_rows_(kBatchSize),
      selected_(kBatchSize) {}

OperatorResult JoinOperator::NextInternal(DataChunk& out) {
  while (true) {
    if (accumulator_.PopFull(out)) return OperatorResult::kHaveData;
    switch (phase_) {
      case Phase::kBuild: {
        OperatorResult r = children_[1]->Next(build_chunk_);
        if (r == OperatorResult::kBlocked) return r;
        if (r == OperatorResult::kHaveData) {
          if (build_chunk_.size() > 0) {
            SinkBuild(build_chunk_);
            memory_.Set(build_store_.MemoryUsage() + BuildIndexMemory());
          }
          continue;
        }
        FinishBuild();
        build_chunk_ = DataChunk();
        if (track_build_matches_) build_matched_.assign(build_store_.size(), 0);
        memory_.Set(build_store_.MemoryUsage() + BuildIndexMemory() + build_matched_.capacity());
        // Without build rows these types output nothing: the probe side is
        // not read at all (the query stops its producers when it ends).
        if (build_store_.size() == 0 && (type_ == JoinType::kInner || type_ == JoinType::kCross ||
                                         type_ == JoinType::kSemi || type_ == JoinType::kRight)) {
          phase_ = Phase::kDone;
          continue;
        }
        phase_ = Phase::kProbe;
        continue;
      }
      case Phase::kProbe: {
        if (!batch_active_) {
          OperatorResult r = children_[0]->Next(probe_);
          if (r == OperatorResult::kBlocked) return r;
          if (r == OperatorResult::kFinished) {
            probe_ = DataChunk();
            phase_ = track_build_matches_ ? Phase::kUnmatchedBuild : Phase::kDone;
            continue;
          }
          if (probe_.size() == 0) continue;
          BASALT_CHECK(probe_.size() <= kBatchSize);
          std::fill(probe_matched_.begin(), probe_matched_.begin() + probe_.size(), 0);
          batch_active_ = true;
          pairs_done_ = false;
          StartProbeBatch(probe_);
        }
        if (ProduceFromBatch(out)) return OperatorResult::kHaveData;
        continue;
      }
      case Phase::kUnmatchedBuild:
        if (EmitUnmatchedBuild(out)) return OperatorResult::kHaveData;
        phase_ = Phase::kDone;
        continue;
      case Phase::kDone:
        if (accumulator_.PopAny(out)) return OperatorResult::kHaveData;
        return OperatorResult::kFinished;
    }
  }
}

bool JoinOperator::ProduceFromBatch(DataChunk& out) {
  uint32_t* probe_rows = pair_probe_rows_.data();
  uint32_t* build_rows = pair_build_rows_.data();
  while (!pairs_done_) {
    if (QueryStopped()) {
      // The rest of the batch's pairs are not needed; Next ends the join.
      pairs_done_ = true;
      batch_active_ = false;
      return false;
    }
    const idx_t n = NextPairs(probe_rows, build_rows);
    if (n == 0) {
      pairs_done_ = true;
      break;
    }
    if (one_pair_per_row_) {
      for (idx_t j = 0; j < n; j++) probe_matched_[probe_rows[j]] = 1;
      continue;
    }
    DataChunk pairs = MakeOutputChunk(probe_rows, build_rows, n, true);
    idx_t matches = n;
    if (residual_) matches = executor_.Select(*residual_, pairs, selected_);
    if (track_probe_matches_ || track_build_matches_) {
      for (idx_t j = 0; j < matches; j++) {
        const uint32_t pair = residual_ ? selected_.Get(j) : static_cast<uint32_t>(j);
        if (track_probe_matches_) probe_matched_[probe_rows[pair]] = 1;
        if (track_build_matches_) build_matched_[build_rows[pair]] = 1;
      }
    }
    if (!emits_pairs_ || matches == 0) continue;
    if (matches == n) {
      out.Reference(pairs);
      return true;
    }
    if (Emit(pairs, selected_, matches, out)) return true;
  }
  batch_active_ = false;
  return EmitBatchTail(out);
}

bool JoinOperator::EmitBatchTail(DataChunk& out) {
  if (!track_probe_matches_) return false;
  // Semi joins keep the matched rows; left, full and anti joins the others.
  const uint8_t keep = type_ == JoinType::kSemi ? 1 : 0;
  const idx_t size = probe_.size();
  idx_t count = 0;
  for (idx_t i = 0; i < size; i++) {
    if (probe_matched_[i] == keep) selected_.Set(count++, static_cast<uint32_t>(i));
  }
  if (count == 0) return false;
  DataChunk chunk = MakeOutputChunk(nullptr, nullptr, size, JoinOutputsBuild(type_));
  if (count == size) {
    out.Reference(chunk);
    return true;
  }
  return Emit(chunk, selected_, count, out);
}

bool JoinOperator::EmitUnmatchedBuild(DataChunk& out) {
  const idx_t total = build_store_.size();
  uint32_t* rows = pair_build_rows_.data();
  idx_t count = 0;
  while (unmatched_cursor_ < total && count < kBatchSize) {
    if (!build_matched_[unmatched_cursor_]) {
      rows[count++] = static_cast<uint32_t>(unmatched_cursor_);
    }
    unmatched_cursor_++;
  }
  if (count == 0) return false;
  DataChunk chunk;
  for (const LogicalType& type : probe_types_) chunk.AddColumn(Vector(Value::Null(type)));
  for (idx_t c = 0; c < build_types_.size(); c++) {
    Vector column(build_types_[c]);
    build_store_.Gather(c, rows, count, column, 0);
    chunk.AddColumn(std::move(column));
  }
  chunk.SetSize(count);
  out.Reference(chunk);
  return true;
}

bool JoinOperator::Emit(DataChunk& chunk, const SelectionVector& sel, idx_t count, DataChunk& out) {
  if (count >= ChunkAccumulator::kSmallSelection) {
    // The output outlives this call, so it gets a selection of its own.
    SelectionVector owned(count);
    std::memcpy(owned.data(), sel.data(), count * sizeof(uint32_t));
    chunk.Slice(owned, count);
    out.Reference(chunk);
    return true;
  }
  accumulator_.Append(chunk, sel, count);
  return accumulator_.PopFull(out);
}

DataChunk JoinOperator::MakeOutputChunk(const uint32_t* probe_rows, const uint32_t* build_rows,
                                        idx_t count, bool with_build) {
  DataChunk chunk;
  if (probe_rows) {
    SelectionVector sel(count);
    std::memcpy(sel.data(), probe_rows, count * sizeof(uint32_t));
    for (idx_t c = 0; c < probe_types_.size(); c++) {
      Vector column;
      column.Reference(probe_.column(c));
      column.Slice(sel, count);
      chunk.AddColumn(std::move(column));
    }
  } else {
    for (idx_t c = 0; c < probe_types_.size(); c++) chunk.AddColumn(probe_.column(c));
  }
  if (with_build) {
    for (idx_t c = 0; c < build_types_.size(); c++) {
      if (build_rows) {
        Vector column(build_types_[c]);
        build_store_.Gather(c, build_rows, count, column, 0);
        chunk.AddColumn(std::move(column));
      } else {
        chunk.AddColumn(Vector(Value::Null(build_types_[c])));
      }
    }
  }
  chunk.SetSize(count);
  return chunk;
}

}  // namespace basalt
