#include "exec/operators/segment_scan.h"

#include <algorithm>

#include "common/exception.h"
#include "exec/operators/filter.h"
#include "storage/managed/segment_handle.h"
#include "storage/segment/segment_reader.h"

namespace basalt {

namespace {

// Segments an instance prepares ahead while another prepares the one it
// needs.
constexpr size_t kPrepareAhead = 2;

idx_t IndexOf(std::vector<idx_t>* list, idx_t column) {
  auto it = std::find(list->begin(), list->end(), column);
  if (it != list->end()) return static_cast<idx_t>(it - list->begin());
  list->push_back(column);
  return list->size() - 1;
}

bool UsesBitmap(const ScanPredicate& p) {
  return p.op == ScanPredicateOp::kEqual || p.op == ScanPredicateOp::kIn ||
         p.op == ScanPredicateOp::kIsNull;
}

}  // namespace

SegmentScanLayout SegmentScanLayout::Make(const std::vector<idx_t>& column_ids,
                                          const Expression* filter) {
  SegmentScanLayout layout;
  layout.output_columns = column_ids;
  layout.filter = filter;
  for (idx_t id : column_ids) layout.output_from_read.push_back(IndexOf(&layout.read_columns, id));
  if (filter == nullptr) return layout;
  bool well_formed = true;
  VisitExpression(*filter, [&](const Expression& e) {
    if (e.kind != ExprKind::kInputRef) return;
    if (e.input_index < column_ids.size()) {
      IndexOf(&layout.filter_columns, column_ids[e.input_index]);
    } else {
      well_formed = false;
    }
  });
  // A filter naming a column the scan does not output runs as it is, on
  // the output (where it fails as it would over an in-memory table).
  if (!well_formed) layout.filter_columns.clear();
  if (layout.filter_columns.empty()) return layout;
  for (idx_t id : column_ids) {
    auto it = std::find(layout.filter_columns.begin(), layout.filter_columns.end(), id);
    layout.from_filter.push_back(it != layout.filter_columns.end());
    layout.output_index.push_back(it != layout.filter_columns.end()
                                      ? static_cast<idx_t>(it - layout.filter_columns.begin())
                                      : IndexOf(&layout.rest_columns, id));
  }
  layout.late = !layout.rest_columns.empty();
  if (!layout.late) return layout;
  layout.filter_on_filter_columns = filter->Copy();
  VisitExpressionMutable(*layout.filter_on_filter_columns, [&](Expression& e) {
    if (e.kind == ExprKind::kInputRef) {
      e.input_index = IndexOf(&layout.filter_columns, column_ids[e.input_index]);
    }
  });
  return layout;
}

SegmentScanShared::SegmentScanShared(std::vector<std::shared_ptr<SegmentHandle>> segments,
                                     std::vector<ScanPredicate> predicates,
                                     TablePartitioning partitioning,
                                     std::vector<LogicalType> table_types,
                                     SegmentScanLayout layout)
    : predicates_(std::move(predicates)),
      partitioning_(partitioning),
      table_types_(std::move(table_types)),
      layout_(std::move(layout)) {
  segments_.reserve(segments.size());
  for (auto& handle : segments) {
    auto segment = std::make_unique<Segment>();
    segment->handle = std::move(handle);
    segments_.push_back(std::move(segment));
  }
}

SegmentScanLocal::SegmentScanLocal(SegmentScanShared& shared,
                                   std::map<std::string, uint64_t>* counters)
    : shared_(shared),
      layout_(shared.layout_),
      counters_(counters),
      // std::map never moves its elements, so these stay valid.
      segments_total_(&(*counters)["segments_total"]),
      segments_pruned_(&(*counters)["segments_pruned"]),
      blocks_total_(&(*counters)["blocks_total"]),
      blocks_pruned_zonemap_(&(*counters)["blocks_pruned_zonemap"]),
      blocks_pruned_bitmap_(&(*counters)["blocks_pruned_bitmap"]),
      rows_read_(&(*counters)["rows_read"]) {}

bool SegmentScanLocal::NextMorsel() {
  std::vector<std::unique_ptr<SegmentScanShared::Segment>>& segments = shared_.segments_;
  uint64_t cursor = shared_.cursor_.load(std::memory_order_acquire);
  while (true) {
    const size_t index = static_cast<size_t>(cursor >> 32);
    const uint32_t position = static_cast<uint32_t>(cursor);
    if (index >= segments.size()) return false;
    SegmentScanShared::Segment& segment = Ready(index);
    if (position < segment.blocks.size()) {
      if (shared_.cursor_.compare_exchange_weak(cursor, cursor + 1, std::memory_order_acq_rel,
                                                std::memory_order_acquire)) {
        StartMorsel(segment, segment.blocks[position]);
        return true;
      }
    } else {
      // This segment is handed out: move everyone on to the next one.
      const uint64_t next = static_cast<uint64_t>(index + 1) << 32;
      if (shared_.cursor_.compare_exchange_weak(cursor, next, std::memory_order_acq_rel,
                                                std::memory_order_acquire)) {
        cursor = next;
      }
    }
  }
}

SegmentScanShared::Segment& SegmentScanLocal::Ready(size_t index) {
  SegmentScanShared::Segment& segment = *shared_.segments_[index];
  if (segment.ready.load(std::memory_order_acquire)) return segment;
  std::unique_lock<std::mutex> lock(segment.mutex, std::try_to_lock);
  if (!lock.owns_lock()) {
    TryPrepareAhead(index);
    lock.lock();
  }
  // A failed preparation leaves `ready` unset; whoever comes next tries
  // again (and most likely fails the same way, after the query has failed).
  if (!segment.ready.load(std::memory_order_relaxed)) {
    Prepare(segment);
    segment.ready.store(true, std::memory_order_release);
  }
  return segment;
}

void SegmentScanLocal::TryPrepareAhead(size_t index) {
  auto& segments = shared_.segments_;
  const size_t end = std::min(segments.size(), index + 1 + kPrepareAhead);
  for (size_t i = index + 1; i < end; i++) {
    SegmentScanShared::Segment& segment = *segments[i];
    if (segment.ready.load(std::memory_order_acquire)) continue;
    std::unique_lock<std::mutex> lock(segment.mutex, std::try_to_lock);
    if (!lock.owns_lock() || segment.ready.load(std::memory_order_relaxed)) continue;
    try {
      Prepare(segment);
    } catch (const BasaltError&) {
      // Not this instance's segment yet (a LIMIT may end the query before
      // anyone needs it): whoever claims it prepares it again and reports
      // the error then.
      continue;
    }
    segment.ready.store(true, std::memory_order_release);
  }
}

void SegmentScanLocal::Prepare(SegmentScanShared::Segment& segment) {
  ++*segments_total_;
  const std::vector<ScanPredicate>& predicates = shared_.predicates_;
  const TablePartitioning& partitioning = shared_.partitioning_;
  const std::vector<LogicalType>& types = shared_.table_types_;

  // 1. The time chunk, before any I/O.
  if (partitioning.partitioned() && static_cast<size_t>(partitioning.column) < types.size()) {
    const idx_t column = static_cast<idx_t>(partitioning.column);
    const TimeChunk& chunk = segment.handle->record().chunk;
    for (const ScanPredicate& p : predicates) {
      if (p.column == column && !ChunkMayMatch(p, chunk, types[column])) {
        ++*segments_pruned_;
        return;
      }
    }
  }

  const SegmentReader& reader = segment.handle->reader();
  // On an executor: whether its segment cache had the file or copied it
  // now (only then shown, so other scans' counters stay as they were).
  switch (segment.handle->origin()) {
    case SegmentHandle::Origin::kCached:
      ++(*counters_)["segments_cached"];
      break;
    case SegmentHandle::Origin::kCopied:
      ++(*counters_)["segments_copied"];
      break;
    case SegmentHandle::Origin::kInPlace:
      break;
  }
  // The segment must hold the columns the scan reads with the table's types:
  // anything else would hand later operators vectors of the wrong type.
  const std::vector<SegmentColumn>& schema = reader.schema();
  for (idx_t column : layout_.read_columns) {
    if (column >= schema.size() || column >= types.size() || schema[column].type != types[column]) {
      ThrowError(sqlstate::kDataCorrupted,
                 "segment file \"{}\" does not match its table: column {} is {}, expected {}",
                 reader.path(), column,
                 column < schema.size() ? schema[column].type.ToString() : "missing",
                 column < types.size() ? types[column].ToString() : "none");
    }
  }
  // Predicates on columns the segment stores as the table does; others
  // are not used for this segment.
  std::vector<const ScanPredicate*> usable;
  for (const ScanPredicate& p : predicates) {
    if (p.column < schema.size() && p.column < types.size() &&
        schema[p.column].type == types[p.column]) {
      usable.push_back(&p);
    }
  }
  segment.reader = &reader;
  const idx_t block_count = reader.block_count();
  *blocks_total_ += block_count;

  // 2. Zone maps.
  std::vector<uint32_t> blocks;
  blocks.reserve(block_count);
  for (idx_t b = 0; b < block_count; b++) {
    const uint64_t rows = reader.BlockRowCount(b);
    bool may_match = true;
    for (const ScanPredicate* p : usable) {
      if (!ZoneMayMatch(*p, reader.GetZoneMap(p->column, b), rows)) {
        may_match = false;
        break;
      }
    }
    if (may_match) {
      blocks.push_back(static_cast<uint32_t>(b));
    } else {
      ++*blocks_pruned_zonemap_;
    }
  }

  // 3. Bitmap index, only for blocks the zone maps left.
  std::optional<RowBitmap> selected;
  for (const ScanPredicate* p : usable) {
    if (blocks.empty() || (selected && selected->IsEmpty())) break;
    if (!UsesBitmap(*p) || types[p->column].id() != TypeId::kVarchar ||
        !reader.HasBitmapIndex(p->column)) {
      continue;
    }
    std::optional<RowBitmap> found;
    if (p->op == ScanPredicateOp::kEqual) {
      found = reader.LookupEqual(p->column, p->values[0].GetString());
    } else if (p->op == ScanPredicateOp::kIn) {
      std::vector<std::string> values;
      values.reserve(p->values.size());
      for (const Value& v : p->values) values.push_back(v.GetString());
      found = reader.LookupIn(p->column, values);
    } else {
      found = reader.LookupNull(p->column);
    }
    if (!found) continue;
    if (selected) {
      selected->IntersectWith(*found);
    } else {
      selected = std::move(*found);
    }
  }
  if (selected) {
    if (selected->IsEmpty()) {
      if (!blocks.empty()) ++*segments_pruned_;
      *blocks_pruned_bitmap_ += blocks.size();
      return;
    }
    size_t kept = 0;
    for (uint32_t b : blocks) {
      const uint64_t first = reader.BlockFirstRow(b);
      if (selected->CountInRange(first, first + reader.BlockRowCount(b)) == 0) {
        ++*blocks_pruned_bitmap_;
      } else {
        blocks[kept++] = b;
      }
    }
    blocks.resize(kept);
    segment.has_rows = true;
    segment.rows = std::move(*selected);
  }
  segment.blocks = std::move(blocks);
}

void SegmentScanLocal::StartMorsel(const SegmentScanShared::Segment& segment, uint32_t block) {
  const SegmentReader& reader = *segment.reader;
  const RowBitmap* rows = segment.has_rows ? &segment.rows : nullptr;
  if (layout_.read_columns.empty()) {
    const uint64_t first = reader.BlockFirstRow(block);
    const uint64_t n = reader.BlockRowCount(block);
    count_left_ = rows ? rows->CountInRange(first, first + n) : n;
    *rows_read_ += count_left_;
    mode_ = Mode::kCount;
    return;
  }
  if (!layout_.late) {
    scanner_.emplace(reader.ScanBlock(block, layout_.read_columns, rows));
    *rows_read_ += scanner_->row_count();
    mode_ = Mode::kOnePass;
    return;
  }
  FilterFirstPass(reader, block, rows);
}

void SegmentScanLocal::FilterFirstPass(const SegmentReader& reader, uint32_t block,
                                       const RowBitmap* rows) {
  mode_ = Mode::kIdle;
  passed_.clear();
  next_passed_ = 0;
  survivors_.clear();
  SegmentBlockScanner scan = reader.ScanBlock(block, layout_.filter_columns, rows);
  *rows_read_ += scan.row_count();
  // survivors_ first holds positions among the rows scanned, which become
  // segment row ids only if the rest is not simply the same rows.
  uint64_t position = 0;  // of the batch's first row among the rows scanned
  DataChunk chunk;
  while (scan.Next(&chunk)) {
    const idx_t count = chunk.size();
    // A fresh selection per batch: the batch kept below slices through it.
    SelectionVector sel(count);
    const idx_t kept = executor_.Select(*layout_.filter_on_filter_columns, chunk, sel);
    for (idx_t i = 0; i < kept; i++) {
      survivors_.push_back(static_cast<uint32_t>(position + sel.Get(i)));
    }
    position += count;
    if (kept == 0) continue;
    if (kept < count) chunk.Slice(sel, kept);
    passed_.push_back(std::move(chunk));
    chunk = DataChunk();
  }
  if (survivors_.empty()) return;  // the other columns are never read
  if (survivors_.size() == position) {
    // Every row read passed: the rest are the same rows as the first pass's.
    scanner_.emplace(reader.ScanBlock(block, layout_.rest_columns, rows));
  } else {
    const uint64_t first = reader.BlockFirstRow(block);
    if (rows != nullptr) {
      const uint64_t block_rows = reader.BlockRowCount(block);
      selected_.resize(block_rows);
      rows->ExtractRange(first, first + block_rows, selected_.data());
      for (uint32_t& s : survivors_) s = static_cast<uint32_t>(first + selected_[s]);
    } else {
      for (uint32_t& s : survivors_) s = static_cast<uint32_t>(first + s);
    }
    RowBitmap survivors = RowBitmap::Of(survivors_.data(), survivors_.size());
    scanner_.emplace(reader.ScanBlock(block, layout_.rest_columns, &survivors));
  }
  mode_ = Mode::kLate;
}

bool SegmentScanLocal::Next(DataChunk& out) {
  switch (mode_) {
    case Mode::kIdle:
      return false;
    case Mode::kCount:
      while (count_left_ > 0) {
        const idx_t n = std::min<uint64_t>(count_left_, kBatchSize);
        count_left_ -= n;
        out = DataChunk();
        out.SetSize(n);
        if (layout_.filter != nullptr && ApplyFilter(executor_, *layout_.filter, out) == 0) {
          continue;
        }
        return true;
      }
      mode_ = Mode::kIdle;
      return false;
    case Mode::kOnePass:
      while (scanner_->Next(&scanned_)) {
        out = DataChunk();
        for (idx_t index : layout_.output_from_read) out.AddColumn(scanned_.column(index));
        out.SetSize(scanned_.size());
        if (layout_.filter != nullptr && ApplyFilter(executor_, *layout_.filter, out) == 0) {
          continue;
        }
        return true;
      }
      scanner_.reset();
      mode_ = Mode::kIdle;
      return false;
    case Mode::kLate: {
      if (next_passed_ >= passed_.size()) {
        scanner_.reset();
        passed_.clear();
        mode_ = Mode::kIdle;
        return false;
      }
      DataChunk& passed = passed_[next_passed_++];
      // The second pass returns the surviving rows in the same order, so
      // taking as many as this batch kept lines the two up.
      if (!scanner_->Next(&scanned_, passed.size()) || scanned_.size() != passed.size()) {
        ThrowError(sqlstate::kInternalError,
                   "internal error: late materialization read {} rows for a batch of {}",
                   scanned_.size(), passed.size());
      }
      out = DataChunk();
      for (size_t i = 0; i < layout_.output_columns.size(); i++) {
        out.AddColumn(layout_.from_filter[i] ? passed.column(layout_.output_index[i])
                                             : scanned_.column(layout_.output_index[i]));
      }
      out.SetSize(passed.size());
      return true;
    }
  }
  return false;
}

}  // namespace basalt
