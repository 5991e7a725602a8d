#include "storage/managed/warehouse.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <set>

#include "common/exception.h"

namespace basalt {

namespace fs = std::filesystem;

namespace {

void CreateDirectory(const fs::path& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) {
    ThrowError(sqlstate::kIoError, "cannot create directory \"{}\": {}", path.string(),
               error.message());
  }
}

// Removes what a crash may have left; failures are not fatal (the next start
// tries again) but must not stop the database from opening.
void RemoveQuietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

}  // namespace

Warehouse::Warehouse(std::string root, WarehouseOptions options)
    : root_(std::move(root)),
      options_(std::move(options)),
      removals_(std::make_shared<SegmentRemovalQueue>()) {}

Warehouse::~Warehouse() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

std::unique_ptr<Warehouse> Warehouse::Open(const std::string& data_dir, WarehouseOptions options) {
  std::error_code error;
  fs::path root = fs::absolute(data_dir, error);
  if (error) ThrowError(sqlstate::kIoError, "cannot use data directory \"{}\": {}", data_dir, error.message());
  std::unique_ptr<Warehouse> warehouse(new Warehouse(root.lexically_normal().string(), std::move(options)));
  for (const char* part : {"system", "warehouse", "staging", "cache", "spill"}) {
    CreateDirectory(root / part);
  }
  std::string lock_path = (root / "system" / "lock").string();
  warehouse->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (warehouse->lock_fd_ < 0) {
    ThrowError(sqlstate::kIoError, "cannot open \"{}\": {}", lock_path, std::strerror(errno));
  }
  if (::flock(warehouse->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      ThrowError(sqlstate::kObjectInUse, "data directory \"{}\" is in use by another Basalt process",
                 warehouse->root_);
    }
    ThrowError(sqlstate::kIoError, "cannot lock \"{}\": {}", lock_path, std::strerror(errno));
  }
  // A missing or emptied metadata store over a warehouse that holds segments
  // would make every segment an orphan for the clean-up below to delete:
  // refuse instead, and leave the files for someone to restore the store.
  fs::path store_path = root / "system" / "metadata.db";
  bool store_missing = !fs::exists(store_path, error) || fs::file_size(store_path, error) == 0;
  if (store_missing && !fs::is_empty(root / "warehouse", error)) {
    ThrowError(sqlstate::kDataCorrupted,
               "data directory \"{}\": the metadata store {} is missing or empty but warehouse/ "
               "holds data; not starting (restore the store, or move warehouse/ away to start "
               "afresh)",
               warehouse->root_, store_path.string());
  }
  warehouse->store_ = MetadataStore::Open(store_path.string());
  MetadataStore::Contents contents = warehouse->store_->Load();
  warehouse->CleanUp(&contents);
  warehouse->contents_ = std::move(contents);
  return warehouse;
}

void Warehouse::CleanUp(MetadataStore::Contents* contents) {
  fs::path root(root_);
  // Writes that never reached their commit.
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root / "staging", error)) RemoveQuietly(entry.path());
  // Segments no longer used: an overwrite or DROP replaced them and the
  // process ended before their files went.
  // Segments of tables that do not exist (a CREATE TABLE ... AS whose
  // publish failed) count as unused.
  std::set<uint32_t> tables;
  for (const auto& t : contents->tables) tables.insert(t.oid);
  std::vector<std::string> unused;
  std::vector<SegmentRecord> used;
  std::set<std::string> known;
  for (auto& s : contents->segments) {
    if (s.used && tables.count(s.table_oid)) {
      known.insert(fs::path(s.directory).lexically_normal().string());
      used.push_back(std::move(s));
    } else {
      RemoveQuietly(root / s.directory);
      unused.push_back(s.segment_id);
    }
  }
  contents->segments = std::move(used);
  if (!unused.empty()) {
    try {
      store_->DeleteSegments(unused);
    } catch (const BasaltError&) {
      // Still marked unused: the next start forgets them.
    }
  }
  // Segment directories moved into the warehouse whose commit never
  // happened (or whose table was dropped): warehouse/<schema>/<table>/<segment>.
  fs::path warehouse = root / "warehouse";
  for (const auto& schema : fs::directory_iterator(warehouse, error)) {
    std::error_code e1;
    for (const auto& table : fs::directory_iterator(schema.path(), e1)) {
      std::error_code e2;
      for (const auto& segment : fs::directory_iterator(table.path(), e2)) {
        std::string relative = segment.path().lexically_relative(root).lexically_normal().string();
        if (!known.count(relative)) RemoveQuietly(segment.path());
      }
      std::error_code e3;
      if (fs::is_empty(table.path(), e3)) fs::remove(table.path(), e3);
    }
    std::error_code e4;
    if (fs::is_empty(schema.path(), e4)) fs::remove(schema.path(), e4);
  }
}

MetadataStore::Contents Warehouse::TakeInitialContents() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(contents_);
}

std::string Warehouse::NewStagingDirectory() {
  uint64_t n;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    n = next_staging_++;
  }
  fs::path path = fs::path(root_) / "staging" / fmt::format("write-{}-{}", ::getpid(), n);
  RemoveQuietly(path);
  CreateDirectory(path);
  return path.string();
}

std::string Warehouse::TableDirectory(const std::string& schema, const std::string& table) {
  return "warehouse/" + PathComponent(schema) + "/" + PathComponent(table);
}

std::string Warehouse::AbsolutePath(const std::string& relative) const {
  return (fs::path(root_) / relative).string();
}

std::shared_ptr<SegmentHandle> Warehouse::MakeHandle(const SegmentRecord& record) {
  return std::make_shared<SegmentHandle>(record, AbsolutePath(record.directory), removals_);
}

void Warehouse::Retire(const std::vector<std::shared_ptr<SegmentHandle>>& handles) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(retired_, [](const std::weak_ptr<SegmentHandle>& h) { return h.expired(); });
  for (const auto& handle : handles) {
    handle->Retire();
    retired_.push_back(handle);
  }
}

std::vector<std::shared_ptr<SegmentHandle>> Warehouse::RetiredSegments() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<SegmentHandle>> alive;
  std::vector<std::weak_ptr<SegmentHandle>> still;
  for (const auto& weak : retired_) {
    if (auto handle = weak.lock()) {
      alive.push_back(handle);
      still.push_back(weak);
    }
  }
  retired_ = std::move(still);
  return alive;
}

void Warehouse::CollectGarbage() {
  std::vector<std::string> ids = removals_->Drain();
  if (ids.empty()) return;
  try {
    store_->DeleteSegments(ids);
  } catch (const BasaltError&) {
    // The rows stay marked unused; the next start forgets them.
  }
}

}  // namespace basalt
