// Warehouse: a data directory's managed storage (docs/managed_storage.md).
//
//   <data-dir>/system/metadata.db       the metadata store (SQLite)
//   <data-dir>/system/lock              held (flock) while a process uses the directory
//   <data-dir>/warehouse/<schema>/<table>/<segment-id>/data.bsg
//   <data-dir>/staging/<write-id>/...   segments being written
//   <data-dir>/cache/, <data-dir>/spill/
//
// Open takes the lock (55006 if another process holds it), creates what is
// missing, loads the metadata store and cleans up after a crash: it empties
// staging/, removes segment directories the store does not know (moved but
// never published) and the files of segments no longer used. The metadata
// store's transaction is the only commit point, so what is left is always
// the last committed state.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/managed/metadata_store.h"
#include "storage/managed/segment_handle.h"
#include "storage/segment/segment_writer.h"

namespace basalt {

struct WarehouseOptions {
  // Rows per segment at most; a time chunk with more rows gets several
  // segments (partition numbers 0, 1, ...).
  uint64_t max_segment_rows = 4 * 1024 * 1024;
  SegmentWriterOptions segment;
};

class Warehouse {
 public:
  static std::unique_ptr<Warehouse> Open(const std::string& data_dir, WarehouseOptions options = {});
  ~Warehouse();
  Warehouse(const Warehouse&) = delete;
  Warehouse& operator=(const Warehouse&) = delete;

  const std::string& root() const { return root_; }
  const WarehouseOptions& options() const { return options_; }
  MetadataStore& store() { return *store_; }

  // What the store held at start-up, after the clean-up: for the catalog to
  // load once. Only used segments remain in `segments`.
  MetadataStore::Contents TakeInitialContents();

  // A fresh, empty staging/<write-id> directory (absolute path).
  std::string NewStagingDirectory();
  // warehouse/<schema>/<table>, relative to the data directory.
  static std::string TableDirectory(const std::string& schema, const std::string& table);
  std::string AbsolutePath(const std::string& relative) const;

  // A handle for a published segment record.
  std::shared_ptr<SegmentHandle> MakeHandle(const SegmentRecord& record);
  // Marks handles no longer part of their table: their files go when the
  // last query holding them ends; sys.segments lists them until then.
  void Retire(const std::vector<std::shared_ptr<SegmentHandle>>& handles);
  // Retired segments still held by some query.
  std::vector<std::shared_ptr<SegmentHandle>> RetiredSegments();
  // Forgets, in the store, the retired segments whose files are gone.
  void CollectGarbage();

 private:
  Warehouse(std::string root, WarehouseOptions options);
  void CleanUp(MetadataStore::Contents* contents);

  std::string root_;
  WarehouseOptions options_;
  int lock_fd_ = -1;
  std::unique_ptr<MetadataStore> store_;
  std::shared_ptr<SegmentRemovalQueue> removals_;
  std::mutex mutex_;  // guards retired_, contents_ and next_staging_
  std::vector<std::weak_ptr<SegmentHandle>> retired_;
  MetadataStore::Contents contents_;
  uint64_t next_staging_ = 0;
};

}  // namespace basalt
