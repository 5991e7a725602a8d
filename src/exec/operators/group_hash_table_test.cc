#include "exec/operators/group_hash_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "exec/operators/operator_test_util.h"

namespace basalt::optest {
namespace {

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kVarchar(TypeId::kVarchar);

// Feeds batches of (bigint, varchar) keys with the given hash function and
// checks ids against a std::map, so that key comparison is what decides
// (real hashes almost never collide, these collide on purpose).
void CheckTable(uint64_t (*hash)(uint64_t real_hash), int batches, int keys_per_domain,
                bool with_nulls = true) {
  GroupHashTable table({kBigint, kVarchar});
  std::map<std::string, uint32_t> reference;
  std::mt19937_64 rng(17);
  std::vector<uint64_t> hashes(kBatchSize);
  std::vector<uint32_t> ids(kBatchSize), new_rows(kBatchSize);
  for (int b = 0; b < batches; b++) {
    std::vector<Row> rows;
    for (int i = 0; i < 1000; i++) {
      const int64_t k = static_cast<int64_t>(rng() % keys_per_domain);
      Value num = with_nulls && k % 10 == 0 ? NullInt() : Int(k % 13);
      Value str = with_nulls && k % 7 == 0
                      ? Value::Null(kVarchar)
                      : Str((k % 2 ? "a long enough string #" : "s") + std::to_string(k / 13));
      rows.push_back({num, str});
    }
    DataChunk chunk = MakeBatches({kBigint, kVarchar}, rows)[0];
    std::vector<Vector> keys = {chunk.column(0), chunk.column(1)};
    GroupHashTable::HashKeys(keys, rows.size(), hashes.data());
    for (auto& h : hashes) h = hash(h);
    const idx_t before = table.size();
    const idx_t created =
        table.FindOrInsert(keys, hashes.data(), rows.size(), ids.data(), new_rows.data());
    ASSERT_EQ(table.size(), before + created);
    for (idx_t n = 0; n < created; n++) {
      ASSERT_EQ(ids[new_rows[n]], before + n) << "new ids are handed out in creation order";
    }
    for (size_t i = 0; i < rows.size(); i++) {
      auto [it, inserted] = reference.emplace(RowToString(rows[i]), ids[i]);
      ASSERT_EQ(it->second, ids[i]) << RowToString(rows[i]);
      (void)inserted;
    }
    ASSERT_EQ(table.size(), reference.size());
    // Find agrees and reports keys never seen.
    std::vector<uint32_t> found(kBatchSize);
    table.Find(keys, hashes.data(), rows.size(), found.data());
    for (size_t i = 0; i < rows.size(); i++) ASSERT_EQ(found[i], ids[i]);
  }
  // The stored keys are the distinct keys, row id = group id.
  for (const auto& [text, id] : reference) {
    Row row;
    for (idx_t c = 0; c < 2; c++) {
      Vector v(c == 0 ? kBigint : kVarchar);
      uint32_t row_id = id;
      table.keys().Gather(c, &row_id, 1, v, 0);
      row.push_back(v.GetValue(0));
    }
    EXPECT_EQ(RowToString(row), text);
  }
  // A key never inserted is not found.
  DataChunk missing = MakeBatches({kBigint, kVarchar}, {{Int(999), Str("nope")}})[0];
  std::vector<Vector> keys = {missing.column(0), missing.column(1)};
  GroupHashTable::HashKeys(keys, 1, hashes.data());
  hashes[0] = hash(hashes[0]);
  table.Find(keys, hashes.data(), 1, ids.data());
  EXPECT_EQ(ids[0], GroupHashTable::kNoGroup);
}

TEST(GroupHashTableTest, RealHashes) {
  CheckTable([](uint64_t h) { return h; }, 30, 50000);
}

TEST(GroupHashTableTest, EveryKeyCollides) {
  CheckTable([](uint64_t) { return uint64_t{42}; }, 5, 300);
  CheckTable([](uint64_t) { return uint64_t{42}; }, 5, 300, false);
}

TEST(GroupHashTableTest, FewDistinctHashes) {
  CheckTable([](uint64_t h) { return h % 5; }, 10, 3000);
  CheckTable([](uint64_t h) { return h % 5; }, 10, 3000, false);
}

TEST(GroupHashTableTest, NoKeyColumnsIsOneGroup) {
  GroupHashTable table({});
  std::vector<uint64_t> hashes(10);
  std::vector<uint32_t> ids(10), new_rows(10);
  GroupHashTable::HashKeys({}, 10, hashes.data());
  EXPECT_EQ(table.FindOrInsert({}, hashes.data(), 10, ids.data(), new_rows.data()), 1u);
  for (uint32_t id : ids) EXPECT_EQ(id, 0u);
  EXPECT_EQ(table.FindOrInsert({}, hashes.data(), 10, ids.data(), new_rows.data()), 0u);
}

}  // namespace
}  // namespace basalt::optest
