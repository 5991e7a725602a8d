#include "storage/managed/table_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>

#include "common/date_time.h"
#include "common/exception.h"
#include "storage/managed/fault_point.h"
#include "storage/managed/segment_timeline.h"
#include "storage/managed/warehouse.h"
#include "storage/segment/segment_writer.h"

namespace basalt {

namespace fs = std::filesystem;

namespace {

// Makes a directory's entries (new files, renames) durable.
void SyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    int error = errno;
    if (fd >= 0) ::close(fd);
    ThrowError(sqlstate::kIoError, "cannot sync directory \"{}\": {}", path, std::strerror(error));
  }
  ::close(fd);
}

}  // namespace

struct TableWriter::OpenSegment {
  std::string directory;  // absolute, under staging
  std::unique_ptr<SegmentWriter> writer;
  uint64_t last_use = 0;
};

TableWriter::TableWriter(Warehouse* warehouse, TableWriteTarget target, WriteMode mode)
    : warehouse_(warehouse),
      target_(std::move(target)),
      mode_(mode),
      sketches_(target_.columns.size()) {}

TableWriter::~TableWriter() {
  if (committed_) return;
  open_.clear();  // writers remove their partial files
  std::error_code ignored;
  for (const auto& directory : moved_) fs::remove_all(directory, ignored);
  if (!staging_.empty()) fs::remove_all(staging_, ignored);
}

// The rows of `chunk` by time chunk of the partition column; rows mostly
// arrive in time order, so the chunks of one batch are few.
std::map<TimeChunk, std::vector<uint32_t>> TableWriter::SplitByChunk(const DataChunk& chunk) const {
  const Vector& times = chunk.column(target_.partitioning.column);
  bool is_date = target_.columns[target_.partitioning.column].type.id() == TypeId::kDate;
  UnifiedFormat f;
  times.ToUnified(chunk.size(), &f);
  std::map<TimeChunk, std::vector<uint32_t>> rows_of;
  TimeChunk current;
  std::vector<uint32_t>* rows = nullptr;
  for (idx_t r = 0; r < chunk.size(); r++) {
    idx_t i = f.sel->Get(r);
    if (!f.validity->IsValid(i)) {
      ThrowError(sqlstate::kNullValueNotAllowed,
                 "null value in partition column \"{}\" of relation \"{}\"",
                 target_.columns[target_.partitioning.column].name, target_.name);
    }
    int64_t micros;
    if (!is_date) {
      micros = reinterpret_cast<const int64_t*>(f.data)[i];
    } else if (__builtin_mul_overflow(static_cast<int64_t>(reinterpret_cast<const int32_t*>(f.data)[i]),
                                      kMicrosPerDay, &micros)) {
      // Chunks are intervals of TIMESTAMP's microseconds, which end in 294247.
      ThrowError(sqlstate::kDatetimeFieldOverflow,
                 "date in partition column \"{}\" of relation \"{}\" is out of range for time "
                 "chunks",
                 target_.columns[target_.partitioning.column].name, target_.name);
    }
    if (rows == nullptr || micros < current.start || micros >= current.end) {
      current = ChunkOf(target_.partitioning.granularity, micros);
      rows = &rows_of[current];
    }
    rows->push_back(static_cast<uint32_t>(r));
  }
  return rows_of;
}

void TableWriter::Append(const DataChunk& chunk) {
  if (chunk.size() == 0) return;
  AddToSketches(chunk, &sketches_);
  row_count_ += chunk.size();
  if (!warehouse_) {
    // Sized to the rows: a selective INSERT ... SELECT hands over many small batches.
    DataChunk copy(chunk.Types(), chunk.size());
    copy.Append(chunk);
    chunks_.push_back(std::move(copy));
    return;
  }
  if (!target_.partitioning.partitioned()) {
    AppendToChunk(TimeChunk{}, chunk);
    return;
  }
  std::map<TimeChunk, std::vector<uint32_t>> rows_of = SplitByChunk(chunk);
  for (auto& [time_chunk, selected] : rows_of) {
    if (selected.size() == chunk.size()) {
      RouteToChunk(time_chunk, chunk);
      continue;
    }
    SelectionVector sel(selected.size());
    for (size_t i = 0; i < selected.size(); i++) sel.Set(i, selected[i]);
    DataChunk part;
    part.Reference(chunk);
    part.Slice(sel, selected.size());
    RouteToChunk(time_chunk, part);
  }
}

void TableWriter::RouteToChunk(const TimeChunk& chunk, const DataChunk& rows) {
  auto pending = pending_.find(chunk);
  if (pending == pending_.end() && open_.count(chunk)) {
    AppendToChunk(chunk, rows);  // rows in time order take this path
    return;
  }
  PendingRows& p = pending == pending_.end() ? pending_[chunk] : pending->second;
  DataChunk copy(rows.Types(), rows.size());
  copy.Append(rows);
  p.chunks.push_back(std::move(copy));
  p.rows += rows.size();
  pending_rows_ += rows.size();
  if (p.rows >= warehouse_->options().segment.block_rows) FlushPending(chunk);
  while (pending_rows_ > kMaxPendingRows) {
    auto largest = std::max_element(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
      return a.second.rows < b.second.rows;
    });
    FlushPending(largest->first);
  }
}

void TableWriter::FlushPending(TimeChunk chunk) {
  auto it = pending_.find(chunk);
  if (it == pending_.end()) return;
  PendingRows p = std::move(it->second);
  pending_.erase(it);
  pending_rows_ -= p.rows;
  for (const DataChunk& rows : p.chunks) AppendToChunk(chunk, rows);
}

void TableWriter::AppendToChunk(const TimeChunk& chunk, const DataChunk& rows) {
  idx_t offset = 0;
  while (offset < rows.size()) {
    auto it = open_.find(chunk);
    if (it == open_.end()) {
      if (open_.size() >= kMaxOpenSegments) {
        auto oldest = std::min_element(open_.begin(), open_.end(), [](const auto& a, const auto& b) {
          return a.second->last_use < b.second->last_use;
        });
        FinishSegment(oldest->first);
      }
      if (staging_.empty()) staging_ = warehouse_->NewStagingDirectory();
      auto segment = std::make_unique<OpenSegment>();
      segment->directory = staging_ + "/" + std::to_string(next_staged_++);
      std::error_code error;
      fs::create_directory(segment->directory, error);
      if (error) {
        ThrowError(sqlstate::kIoError, "cannot create directory \"{}\": {}", segment->directory,
                   error.message());
      }
      std::vector<SegmentColumn> columns;
      for (const auto& c : target_.columns) columns.push_back({c.name, c.type});
      segment->writer = std::make_unique<SegmentWriter>(
          segment->directory + "/" + kSegmentFileName, std::move(columns), warehouse_->options().segment);
      it = open_.emplace(chunk, std::move(segment)).first;
    }
    OpenSegment& segment = *it->second;
    segment.last_use = ++use_clock_;
    uint64_t room = warehouse_->options().max_segment_rows - segment.writer->row_count();
    idx_t n = static_cast<idx_t>(std::min<uint64_t>(room, rows.size() - offset));
    if (offset == 0 && n == rows.size()) {
      segment.writer->Append(rows);
    } else {
      SelectionVector sel(n);
      for (idx_t i = 0; i < n; i++) sel.Set(i, static_cast<uint32_t>(offset + i));
      DataChunk part;
      part.Reference(rows);
      part.Slice(sel, n);
      segment.writer->Append(part);
    }
    offset += n;
    if (segment.writer->row_count() >= warehouse_->options().max_segment_rows) FinishSegment(chunk);
  }
  FaultPoint("write.after_append");
}

void TableWriter::FinishSegment(TimeChunk chunk) {
  auto it = open_.find(chunk);
  OpenSegment& segment = *it->second;
  FinishedSegment finished;
  finished.chunk = chunk;
  finished.staging_directory = segment.directory;
  finished.num_rows = segment.writer->row_count();
  finished.size_bytes = segment.writer->Finish();
  // The file's entry is in the segment's own directory, which the rename
  // carries into the warehouse: it must be durable too.
  SyncDirectory(segment.directory);
  finished_.push_back(std::move(finished));
  open_.erase(it);
}

idx_t TableWriter::Commit() {
  idx_t rows = warehouse_ ? CommitManaged() : CommitInMemory();
  committed_ = true;
  return rows;
}

idx_t TableWriter::CommitCreating(const TableRecord& table, uint32_t next_oid, uint32_t replaced_oid) {
  target_.oid = table.oid;
  create_ = table;
  create_next_oid_ = next_oid;
  create_replaced_oid_ = replaced_oid;
  return Commit();
}

idx_t TableWriter::CommitInMemory() {
  if (mode_ == WriteMode::kOverwrite && target_.partitioning.partitioned()) {
    // As on disk: an overwrite replaces the time chunks it writes and keeps
    // the others' rows.
    std::set<TimeChunk> written;
    for (const DataChunk& chunk : chunks_) {
      for (const auto& [time_chunk, rows] : SplitByChunk(chunk)) written.insert(time_chunk);
    }
    std::vector<DataChunk> rows;
    for (const auto& batch : target_.data->Snapshot()->batches) {
      std::vector<uint32_t> kept;
      for (const auto& [time_chunk, selected] : SplitByChunk(*batch)) {
        if (!written.count(time_chunk)) kept.insert(kept.end(), selected.begin(), selected.end());
      }
      if (kept.empty()) continue;
      SelectionVector sel(kept.size());
      for (size_t i = 0; i < kept.size(); i++) sel.Set(i, kept[i]);
      DataChunk part;
      part.Reference(*batch);
      part.Slice(sel, kept.size());
      rows.emplace_back(part.Types(), kept.size());
      rows.back().Append(part);
    }
    // Sketches only grow (as on disk): the kept rows' values are still counted.
    std::vector<HyperLogLog> sketches = rows.empty() ? sketches_ : target_.data->Sketches();
    if (!rows.empty()) {
      for (size_t c = 0; c < sketches.size() && c < sketches_.size(); c++) sketches[c].Merge(sketches_[c]);
    }
    for (DataChunk& chunk : chunks_) rows.push_back(std::move(chunk));
    chunks_.clear();
    target_.data->CommitBatches(std::move(rows), sketches, /*replace=*/true);
    return row_count_;
  }
  target_.data->CommitBatches(std::move(chunks_), sketches_, mode_ == WriteMode::kOverwrite);
  chunks_.clear();
  return row_count_;
}

idx_t TableWriter::CommitManaged() {
  // 1. Every segment complete and durable in staging.
  while (!pending_.empty()) FlushPending(pending_.begin()->first);
  while (!open_.empty()) FinishSegment(open_.begin()->first);
  if (!staging_.empty()) SyncDirectory(staging_);
  FaultPoint("write.after_staging");

  // Segment ids: appends extend a chunk's current version, everything else
  // takes this write's version.
  std::shared_ptr<const TableData> current = target_.data->Snapshot();
  std::map<int64_t, std::pair<int64_t, int32_t>> chunk_state;  // chunk start -> (version, next partition)
  if (mode_ == WriteMode::kAppend) {
    for (const auto& handle : current->segments) {
      const SegmentRecord& r = handle->record();
      auto& state = chunk_state[r.chunk.start];
      if (r.version > state.first) state = {r.version, 0};
      if (r.version == state.first) state.second = std::max(state.second, r.partition + 1);
    }
  }
  MetadataStore& store = warehouse_->store();
  int64_t version = 0;
  std::string table_directory = Warehouse::TableDirectory(target_.schema, target_.name);
  std::vector<SegmentRecord> added;
  std::sort(finished_.begin(), finished_.end(),
            [](const FinishedSegment& a, const FinishedSegment& b) { return a.chunk < b.chunk; });
  for (const auto& f : finished_) {
    auto it = chunk_state.find(f.chunk.start);
    if (it == chunk_state.end()) {
      if (version == 0) version = store.AllocateVersion();
      it = chunk_state.emplace(f.chunk.start, std::make_pair(version, 0)).first;
    }
    SegmentRecord record;
    record.table_oid = target_.oid;
    record.chunk = f.chunk;
    record.version = it->second.first;
    record.partition = it->second.second++;
    record.segment_id = MakeSegmentId(target_.name, f.chunk, record.version, record.partition);
    record.num_rows = f.num_rows;
    record.size_bytes = f.size_bytes;
    record.directory = table_directory + "/" + PathComponent(record.segment_id);
    added.push_back(std::move(record));
  }

  // 2. Into the warehouse. Until the publish below these directories are
  // unknown to the store, and a restart removes them.
  if (!added.empty()) {
    std::string table_path = warehouse_->AbsolutePath(table_directory);
    std::error_code error;
    bool created = fs::create_directories(table_path, error);
    if (error) {
      ThrowError(sqlstate::kIoError, "cannot create directory \"{}\": {}", table_path, error.message());
    }
    if (created) {
      // A new table (and maybe schema) directory: its entry must be durable
      // before the publish, or a power loss could lose committed segments.
      fs::path table(table_path);
      SyncDirectory(table.parent_path().string());
      SyncDirectory(table.parent_path().parent_path().string());
    }
    for (size_t i = 0; i < added.size(); i++) {
      std::string destination = warehouse_->AbsolutePath(added[i].directory);
      fs::rename(finished_[i].staging_directory, destination, error);
      if (!error) moved_.push_back(destination);
      if (error) {
        ThrowError(sqlstate::kIoError, "cannot move segment \"{}\" into the warehouse: {}",
                   added[i].segment_id, error.message());
      }
      if (i == 0) FaultPoint("write.after_first_move");
    }
    SyncDirectory(table_path);
  }
  FaultPoint("write.before_publish");

  // 3. The commit point.
  std::vector<std::shared_ptr<SegmentHandle>> replaced;
  std::vector<std::shared_ptr<SegmentHandle>> kept;
  if (mode_ == WriteMode::kOverwrite) {
    std::set<int64_t> written;
    for (const auto& r : added) written.insert(r.chunk.start);
    for (const auto& handle : current->segments) {
      bool replace = !target_.partitioning.partitioned() || written.count(handle->record().chunk.start);
      (replace ? replaced : kept).push_back(handle);
    }
  } else {
    kept = current->segments;
  }
  PublishRequest request;
  for (auto& r : added) r.table_oid = target_.oid;
  request.added = added;
  request.create_table = create_;
  request.next_oid = create_next_oid_;
  request.replaced_table_oid = create_replaced_oid_;
  for (const auto& handle : replaced) request.unpublished.push_back(handle->id());
  // Sketches only grow: an overwrite of some chunks keeps counting the values
  // it replaced until ANALYZE (or a whole-table overwrite) starts afresh.
  std::vector<HyperLogLog> sketches =
      (mode_ == WriteMode::kOverwrite && kept.empty()) ? std::vector<HyperLogLog>(target_.columns.size())
                                                        : target_.data->Sketches();
  sketches.resize(target_.columns.size());
  for (size_t c = 0; c < sketches.size(); c++) {
    sketches[c].Merge(sketches_[c]);
    request.sketches.push_back({target_.oid, static_cast<uint32_t>(c), sketches[c].registers()});
  }
  store.Publish(request);
  committed_ = true;  // whatever happens now, the rows are the table's
  FaultPoint("write.after_publish");

  // 4. The next version, for queries that start from now on.
  std::vector<SegmentRecord> records;
  std::map<std::string, std::shared_ptr<SegmentHandle>> handles;
  for (const auto& handle : kept) {
    records.push_back(handle->record());
    handles[handle->id()] = handle;
  }
  for (const auto& r : added) {
    records.push_back(r);
    handles[r.segment_id] = warehouse_->MakeHandle(r);
  }
  auto next = std::make_shared<TableData>();
  for (const auto& r : BuildTimeline(std::move(records)).visible) {
    next->segments.push_back(handles[r.segment_id]);
    next->row_count += r.num_rows;
  }
  target_.data->Install(std::move(next), std::move(sketches));
  warehouse_->Retire(replaced);
  std::error_code ignored;
  if (!staging_.empty()) fs::remove_all(staging_, ignored);
  warehouse_->CollectGarbage();
  return row_count_;
}

}  // namespace basalt
