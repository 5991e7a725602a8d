#include "cluster/segment_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/exception.h"
#include "storage/segment/segment_test_util.h"

namespace basalt::cluster {
namespace {

namespace fs = std::filesystem;
using segment_test::Row;
using segment_test::TempDir;

// A "warehouse" of real segment files: <root>/warehouse/main/t/<id>/data.bsg.
class SegmentCacheTest : public ::testing::Test {
 protected:
  // Writes a segment of `rows` BIGINT rows (i, i * 10) and returns its record.
  SegmentRecord Write(const std::string& id, int rows) {
    std::vector<SegmentColumn> schema = {{"a", LogicalType(TypeId::kBigint)},
                                         {"b", LogicalType(TypeId::kBigint)}};
    std::vector<Row> values;
    for (int i = 0; i < rows; i++) values.push_back({Value::Bigint(i), Value::Bigint(i * 10)});
    fs::create_directories(Directory(id));
    SegmentRecord record;
    record.segment_id = id;
    record.num_rows = uint64_t(rows);
    record.size_bytes =
        segment_test::WriteSegment(Directory(id) + "/" + kSegmentFileName, schema, values);
    record.directory = "warehouse/main/t/" + id;
    return record;
  }
  std::string Directory(const std::string& id) const {
    return root_.path() + "/warehouse/main/t/" + id;
  }
  std::string CacheDir() const { return root_.path() + "/cache"; }
  static uint64_t FileBytes(const SegmentRecord& r) { return r.size_bytes; }
  static ino_t Inode(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return 0;
    return st.st_ino;
  }
  static uint64_t RowsOf(const SegmentHandle& handle) { return handle.reader().row_count(); }

  TempDir root_;
};

TEST_F(SegmentCacheTest, CopiedOnceThenReused) {
  SegmentRecord r = Write("t_-infinity_infinity_1_0", 5000);
  SegmentCache cache(CacheDir(), 1 << 30);
  SegmentHandle::Origin origin;
  auto first = cache.Get(r, Directory(r.segment_id), &origin);
  EXPECT_EQ(origin, SegmentHandle::Origin::kCopied);
  // The handle reads the cache's copy, not the warehouse file.
  EXPECT_EQ(first->directory(), CacheDir() + "/" + r.segment_id);
  EXPECT_EQ(RowsOf(*first), 5000u);
  const ino_t inode = Inode(first->file_path());
  ASSERT_NE(inode, 0u);

  auto second = cache.Get(r, Directory(r.segment_id), &origin);
  EXPECT_EQ(origin, SegmentHandle::Origin::kCached);
  // The same handle: its reader (and parsed footer) stay open across queries.
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(Inode(second->file_path()), inode);
  SegmentCache::Counters c = cache.counters();
  EXPECT_EQ(c.misses, 1u);
  EXPECT_EQ(c.hits, 1u);
  EXPECT_EQ(c.evictions, 0u);
  EXPECT_EQ(cache.cached_bytes(), fs::file_size(second->file_path()));
  // No temporary is left.
  for (const auto& e : fs::directory_iterator(CacheDir())) {
    EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
  }
  // The warehouse file is untouched, and dropping the handles keeps it.
  first.reset();
  second.reset();
  EXPECT_TRUE(fs::exists(Directory(r.segment_id) + "/" + kSegmentFileName));
}

TEST_F(SegmentCacheTest, EvictsLeastRecentlyUsedWhenOverCapacity) {
  SegmentRecord a = Write("t_a_1_0", 3000);
  SegmentRecord b = Write("t_b_1_0", 3000);
  SegmentRecord c = Write("t_c_1_0", 3000);
  // Room for two of the three.
  const uint64_t size = std::max({a.size_bytes, b.size_bytes, c.size_bytes});
  SegmentCache cache(CacheDir(), 2 * size + size / 2);
  cache.Get(a, Directory(a.segment_id));
  cache.Get(b, Directory(b.segment_id));
  cache.Get(a, Directory(a.segment_id));  // a is now more recent than b
  cache.Get(c, Directory(c.segment_id));  // b goes
  EXPECT_TRUE(cache.Contains(a.segment_id));
  EXPECT_FALSE(cache.Contains(b.segment_id));
  EXPECT_TRUE(cache.Contains(c.segment_id));
  EXPECT_FALSE(fs::exists(CacheDir() + "/" + b.segment_id));
  EXPECT_EQ(cache.counters().evictions, 1u);
  EXPECT_LE(cache.cached_bytes(), cache.capacity_bytes());
  // The warehouse keeps every segment.
  EXPECT_TRUE(fs::exists(Directory(b.segment_id) + "/" + kSegmentFileName));
}

TEST_F(SegmentCacheTest, SegmentHeldByAQueryIsNotEvicted) {
  SegmentRecord a = Write("t_a_1_0", 3000);
  SegmentRecord b = Write("t_b_1_0", 3000);
  SegmentRecord c = Write("t_c_1_0", 3000);
  const uint64_t size = std::max({a.size_bytes, b.size_bytes, c.size_bytes});
  SegmentCache cache(CacheDir(), 2 * size + size / 2);
  // A query holds a (through its plan's handle), then reads b and c.
  CachedSegmentHandle held(a, Directory(a.segment_id), &cache);
  EXPECT_EQ(held.reader().row_count(), 3000u);
  EXPECT_EQ(held.origin(), SegmentHandle::Origin::kCopied);
  cache.Get(b, Directory(b.segment_id));
  cache.Get(c, Directory(c.segment_id));
  // a is the least recently used, but in use: b went instead.
  EXPECT_TRUE(cache.Contains(a.segment_id));
  EXPECT_FALSE(cache.Contains(b.segment_id));
  EXPECT_EQ(held.reader().row_count(), 3000u);

  // With every cached segment in use, a new one is read in place.
  auto held_c = cache.Get(c, Directory(c.segment_id));
  SegmentHandle::Origin origin;
  auto in_place = cache.Get(b, Directory(b.segment_id), &origin);
  EXPECT_EQ(origin, SegmentHandle::Origin::kInPlace);
  EXPECT_EQ(in_place->directory(), Directory(b.segment_id));
  EXPECT_EQ(RowsOf(*in_place), 3000u);
  EXPECT_LE(cache.cached_bytes(), cache.capacity_bytes());
}

TEST_F(SegmentCacheTest, SegmentLargerThanTheCapacityIsReadInPlace) {
  SegmentRecord big = Write("t_big_1_0", 20000);
  SegmentCache cache(CacheDir(), big.size_bytes / 2);
  SegmentHandle::Origin origin;
  auto handle = cache.Get(big, Directory(big.segment_id), &origin);
  EXPECT_EQ(origin, SegmentHandle::Origin::kInPlace);
  EXPECT_EQ(handle->directory(), Directory(big.segment_id));
  EXPECT_EQ(RowsOf(*handle), 20000u);
  EXPECT_FALSE(cache.Contains(big.segment_id));
  EXPECT_EQ(cache.cached_bytes(), 0u);
  EXPECT_EQ(cache.counters().in_place, 1u);
  // A handle on the warehouse file never removes it.
  handle.reset();
  EXPECT_TRUE(fs::exists(Directory(big.segment_id) + "/" + kSegmentFileName));
}

TEST_F(SegmentCacheTest, AdoptsCachedFilesAtStartAndRemovesTemporaries) {
  SegmentRecord a = Write("t_a_1_0", 3000);
  SegmentRecord b = Write("t_b_1_0", 3000);
  ino_t inode_a;
  {
    SegmentCache cache(CacheDir(), 1 << 30);
    inode_a = Inode(cache.Get(a, Directory(a.segment_id))->file_path());
    cache.Get(b, Directory(b.segment_id));
  }
  // What a crash mid-copy leaves, and a directory without its file.
  fs::create_directories(CacheDir() + "/.tmp-1-7");
  std::ofstream(CacheDir() + "/.tmp-1-7/data.bsg") << "partial";
  fs::create_directories(CacheDir() + "/t_x_1_0");

  SegmentCache restarted(CacheDir(), 1 << 30);
  EXPECT_FALSE(fs::exists(CacheDir() + "/.tmp-1-7"));
  EXPECT_FALSE(fs::exists(CacheDir() + "/t_x_1_0"));
  EXPECT_TRUE(restarted.Contains(a.segment_id));
  EXPECT_TRUE(restarted.Contains(b.segment_id));
  SegmentHandle::Origin origin;
  auto handle = restarted.Get(a, Directory(a.segment_id), &origin);
  EXPECT_EQ(origin, SegmentHandle::Origin::kCached);
  EXPECT_EQ(Inode(handle->file_path()), inode_a);
  EXPECT_EQ(RowsOf(*handle), 3000u);
  EXPECT_EQ(restarted.counters().misses, 0u);

  // Restarted with a smaller capacity: evicted down to it at start.
  handle.reset();
  SegmentCache smaller(CacheDir(), std::max(a.size_bytes, b.size_bytes) + 1);
  EXPECT_EQ(smaller.counters().evictions, 1u);
  EXPECT_LE(smaller.cached_bytes(), smaller.capacity_bytes());
  EXPECT_NE(smaller.Contains(a.segment_id), smaller.Contains(b.segment_id));
}

TEST_F(SegmentCacheTest, MissingWarehouseFileIs58P01) {
  SegmentRecord r = Write("t_gone_1_0", 100);
  fs::remove_all(Directory(r.segment_id));
  SegmentCache cache(CacheDir(), 1 << 30);
  try {
    cache.Get(r, Directory(r.segment_id));
    FAIL() << "expected 58P01";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), "58P01");
    EXPECT_NE(std::string(e.what()).find("t_gone_1_0"), std::string::npos) << e.what();
  }
  // Through a plan's handle, the scan sees the same error.
  CachedSegmentHandle handle(r, Directory(r.segment_id), &cache);
  try {
    handle.reader();
    FAIL() << "expected 58P01";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), "58P01");
  }
  // Nothing is left waiting: the segment can be asked for again.
  EXPECT_THROW(cache.Get(r, Directory(r.segment_id)), BasaltError);
}

TEST_F(SegmentCacheTest, ManyThreadsAskingForOneSegmentCopyItOnce) {
  SegmentRecord r = Write("t_hot_1_0", 20000);
  SegmentRecord other = Write("t_other_1_0", 20000);
  SegmentCache cache(CacheDir(), 1 << 30);
  std::atomic<int> copied{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int t = 0; t < 16; t++) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      try {
        for (int i = 0; i < 20; i++) {
          const SegmentRecord& which = (t + i) % 4 == 0 ? other : r;
          SegmentHandle::Origin origin;
          auto h = cache.Get(which, Directory(which.segment_id), &origin);
          if (origin == SegmentHandle::Origin::kCopied) copied++;
          if (h->reader().row_count() != 20000u) errors++;
        }
      } catch (const std::exception&) {
        errors++;
      }
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(copied.load(), 2);
  SegmentCache::Counters c = cache.counters();
  EXPECT_EQ(c.misses, 2u);
  EXPECT_EQ(c.hits, 16u * 20u - 2u);
}

}  // namespace
}  // namespace basalt::cluster
