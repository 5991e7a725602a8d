// Table scans over segments: the same rows held in memory and in segments
// (small blocks, three monthly time chunks) give the same answers to
// filters that prune by time chunk, zone map and bitmap index; the counters
// show that pruning happened; a damaged segment fails its query cleanly.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/date_time.h"
#include "common/temp_dir_test_util.h"
#include "exec/expression.h"
#include "exec/function.h"
#include "exec/operators/table_scan.h"
#include "exec/physical_node.h"
#include "exec/query_context.h"
#include "main/database.h"
#include "main/database_instance.h"
#include "storage/managed/segment_handle.h"
#include "storage/managed/time_chunk.h"
#include "storage/segment/segment_footer.h"
#include "storage/segment/segment_test_util.h"
#include "storage/segment/segment_writer.h"

namespace basalt {
namespace {

using segment_test::ReadFileBytes;
using segment_test::Row;
using segment_test::WriteFileBytes;

constexpr const char* kCreateColumns =
    "(id BIGINT, k INTEGER, d DATE, s VARCHAR, long_s VARCHAR, x DOUBLE, sm SMALLINT, "
    "n DECIMAL(12,2), ts TIMESTAMP, b BOOLEAN)";
enum Column { kId, kK, kD, kS, kLong, kX, kSm, kN, kTs, kB, kColumns };

constexpr idx_t kBlockRows = 1024;
// Rows of the segments of January, February and March 2024.
constexpr int kSegmentRows[] = {6000, 6500, 5000};

std::string LongString(int64_t id) {
  return std::string(150, 'p') + fmt::format("{:08d}", id) + std::string(40, 'q');
}

// Rows of month `m` (0-based) of 2024, ids from `first_id`, `d` ascending.
std::vector<Row> MonthRows(int m, int64_t first_id, int count, std::mt19937_64& rng) {
  const int32_t start = DaysFromCivil(2024, m + 1, 1);
  const int32_t days = DaysFromCivil(2024, m + 2, 1) - start;
  const char* kinds[] = {"alpha", "beta", "delta", "epsilon", "gamma"};
  std::vector<Row> rows;
  for (int j = 0; j < count; j++) {
    const int64_t id = first_id + j;
    Row r(kColumns);
    r[kId] = Value::Bigint(id);
    r[kK] = rng() % 20 == 0 ? Value::Null(TypeId::kInteger)
                            : Value::Integer(static_cast<int32_t>(rng() % 2001) - 1000);
    const bool null_day = m == 1 && j % 500 == 7;
    const int32_t day = start + static_cast<int32_t>(static_cast<int64_t>(j) * days / count);
    r[kD] = null_day ? Value::Null(TypeId::kDate) : Value::Date(day);
    // "cherry" sorts inside every block's bounds: only the bitmap finds it.
    const bool cherry = (m == 1 && (j == 2500 || j == 2501 || j == 5000)) || (m == 2 && j == 100);
    r[kS] = cherry              ? Value::Varchar("cherry")
            : rng() % 40 == 0   ? Value::Null(TypeId::kVarchar)
                                : Value::Varchar(kinds[rng() % 5]);
    r[kLong] = id % 13 == 0 ? Value::Null(TypeId::kVarchar)
               : id % 5 == 0 ? Value::Varchar(fmt::format("short{}", id))
                             : Value::Varchar(LongString(id));
    double x = static_cast<double>(id) / 10.0 - 500;
    if (id % 97 == 0) x = std::numeric_limits<double>::quiet_NaN();
    else if (id % 101 == 0) x = -0.0;
    r[kX] = id % 89 == 0 ? Value::Null(TypeId::kDouble) : Value::Double(x);
    r[kSm] = Value::Smallint(static_cast<int16_t>(id % 200 - 100));
    r[kN] = Value::Decimal((id * 37) % 100000 - 50000, 12, 2);
    r[kTs] = null_day ? Value::Null(TypeId::kTimestamp)
                      : Value::Timestamp(day * kMicrosPerDay + (id % 86400) * 1000000);
    r[kB] = id % 50 == 0 ? Value::Null(TypeId::kBoolean) : Value::Boolean(id % 3 == 0);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<std::string> Canonical(const QueryResult& r) {
  std::vector<std::string> rows;
  for (idx_t i = 0; i < r.RowCount(); i++) {
    std::string row;
    for (idx_t c = 0; c < r.column_types.size(); c++) row += r.GetValue(c, i).ToString() + "|";
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

class SegmentScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(con_.Query(std::string("CREATE TABLE mem ") + kCreateColumns).ok);
    ASSERT_TRUE(con_.Query(std::string("CREATE TABLE seg ") + kCreateColumns).ok);
    mem_ = db_.instance().catalog().GetTable("main", "mem");
    seg_ = db_.instance().catalog().GetTable("main", "seg");
    seg_->partitioning = TablePartitioning{kD, TimeGranularity::kMonth};
    for (const auto& c : seg_->columns) schema_.push_back(SegmentColumn{c.name, c.type});

    std::mt19937_64 rng(42);
    int64_t id = 0;
    std::vector<std::shared_ptr<SegmentHandle>> handles;
    for (int m = 0; m < 3; m++) {
      std::vector<Row> rows = MonthRows(m, id, kSegmentRows[m], rng);
      id += kSegmentRows[m];
      for (const DataChunk& chunk : segment_test::MakeChunks(schema_, rows)) {
        mem_->storage->Append(chunk);
      }
      const int32_t start = DaysFromCivil(2024, m + 1, 1);
      handles.push_back(WriteSegment(
          "seg", TimeChunk{start * kMicrosPerDay, DaysFromCivil(2024, m + 2, 1) * kMicrosPerDay},
          m, rows));
    }
    total_rows_ = id;
    Install(seg_, handles);
  }

  // Writes `rows` as segment `<dir>/<id>/data.bsg` and returns its handle.
  std::shared_ptr<SegmentHandle> WriteSegment(const std::string& table, TimeChunk chunk,
                                              int partition, const std::vector<Row>& rows) {
    SegmentRecord record;
    record.segment_id = MakeSegmentId(table, chunk, 1, partition);
    record.chunk = chunk;
    record.version = 1;
    record.partition = partition;
    record.num_rows = rows.size();
    const std::string directory = dir_.File(record.segment_id);
    std::filesystem::create_directories(directory);
    SegmentWriterOptions options;
    options.block_rows = kBlockRows;
    record.size_bytes = segment_test::WriteSegment(directory + "/" + kSegmentFileName, schema_,
                                                   rows, options);
    record.directory = record.segment_id;
    return std::make_shared<SegmentHandle>(record, directory, nullptr);
  }

  static void Install(const std::shared_ptr<TableEntry>& table,
                      std::vector<std::shared_ptr<SegmentHandle>> handles) {
    auto data = std::make_shared<TableData>();
    for (const auto& h : handles) data->row_count += h->record().num_rows;
    data->segments = std::move(handles);
    table->storage->Install(std::move(data), {});
  }

  QueryResult Run(const std::string& sql) {
    QueryResult r = con_.Query(sql);
    EXPECT_TRUE(r.ok) << sql << ": " << r.error_message;
    return r;
  }

  // The same query over both tables gives the same rows.
  void ExpectSame(const std::string& select, const std::string& where) {
    const std::string on_mem = "SELECT " + select + " FROM mem WHERE " + where;
    const std::string on_seg = "SELECT " + select + " FROM seg WHERE " + where;
    std::vector<std::string> expected = Canonical(Run(on_mem));
    std::vector<std::string> actual = Canonical(Run(on_seg));
    ASSERT_EQ(expected.size(), actual.size()) << on_seg;
    EXPECT_TRUE(expected == actual) << on_seg;
  }

  std::string Explain(const std::string& sql) {
    QueryResult r = Run("EXPLAIN " + sql);
    std::string text;
    for (idx_t i = 0; i < r.RowCount(); i++) text += r.GetValue(0, i).ToString() + "\n";
    return text;
  }

  testing::TempDir dir_;
  Database db_{DatabaseOptions{3, ""}};
  Connection con_{db_};
  std::shared_ptr<TableEntry> mem_;
  std::shared_ptr<TableEntry> seg_;
  std::vector<SegmentColumn> schema_;
  int64_t total_rows_ = 0;
};

TEST_F(SegmentScanTest, FiltersGiveTheRowsOfTheInMemoryTable) {
  const std::string long5001 = LongString(5001);
  const std::string where[] = {
      "true",
      // Integers, sorted and not, negative, NULL.
      "id = 5000",
      "id >= 5000 AND id < 5100",
      "id BETWEEN 100 AND 200",
      "5000 > id AND id > 4990",
      "id < 0",
      "id > 17490",
      "NOT (id > 10)",
      "id NOT IN (1, 2, 3) AND id < 6",
      "id < 10 OR id > 17495",
      "k = -5",
      "k < -990",
      "k >= 999",
      "k IN (-1000, 0, 1000)",
      "k <> 0",
      "k IS NULL",
      "k IS NOT NULL AND k > 995",
      "k = 1.5",
      "k = 2.0",
      "sm = -100",
      "sm < -99",
      "sm < 100000",
      // Dates: the partition column.
      "d = DATE '2024-02-10'",
      "d >= DATE '2024-03-01'",
      "d < DATE '2024-01-05'",
      "d > DATE '2024-03-31'",
      "d IS NULL",
      "d IS NULL OR d = DATE '2024-01-01'",
      "d BETWEEN '2024-01-30' AND '2024-02-02'",
      "d IN ('2024-02-29', '2024-04-01')",
      "d < TIMESTAMP '2024-01-03 00:00:00'",
      "ts >= TIMESTAMP '2024-03-15 00:00:00'",
      "ts < '2024-01-02'",
      "ts = TIMESTAMP '2024-02-01 00:00:00'",
      "ts = TIMESTAMP '2024-01-01 00:00:00'",
      // Strings: bitmap index, zone maps.
      "s = 'cherry'",
      "s = 'coconut'",
      "s = 'zzz'",
      "s IN ('cherry', 'beta')",
      "s IN ('coconut', 'zebra')",
      "s IS NULL",
      "s IS NULL AND k > 0",
      "s <> 'alpha'",
      "s > 'delta'",
      "s < 'b'",
      "s = 'cherry' AND k > 0",
      "s = 'cherry' AND s IN ('alpha', 'cherry')",
      "s IN ('alpha', 'beta') AND s = 'beta' AND id < 3000",
      "s NOT IN ('alpha', 'beta', 'delta')",
      // Strings past the 128-byte zone-map limit.
      "long_s = '" + long5001 + "'",
      "long_s > '" + LongString(17000) + "'",
      "long_s >= '" + std::string(150, 'p') + "'",
      "long_s < '" + std::string(128, 'p') + "'",
      "long_s < 'short'",
      "long_s >= 'short1' AND long_s < 'short2'",
      "long_s IN ('short100', '" + long5001 + "')",
      "long_s IS NULL",
      "long_s LIKE 'short1%'",
      // Doubles: NaN, -0.0, NULL.
      "x = 'NaN'",
      "x > 1e300",
      "x = 0",
      "x <> 0 AND id < 100",
      "x < -499.5",
      "x >= 1249",
      "x IS NULL",
      // Decimals, booleans.
      "n > 499.00",
      "n = -500.00",
      "n BETWEEN 1 AND 2",
      "b",
      "NOT b",
      "b IS NULL",
      "b = false AND id < 100",
  };
  for (const std::string& w : where) {
    SCOPED_TRACE(w);
    ExpectSame("*", w);
    ExpectSame("id, n", w);
    ExpectSame("long_s, k", w);
    ExpectSame("count(*)", w);
  }
}

TEST_F(SegmentScanTest, ScansWithoutFilter) {
  ExpectSame("*", "true");
  EXPECT_EQ(Run("SELECT count(*) FROM seg").GetValue(0, 0).GetInt64(), total_rows_);
  EXPECT_EQ(Run("SELECT count(*), sum(id), min(long_s), max(x) FROM seg").GetValue(1, 0),
            Run("SELECT count(*), sum(id), min(long_s), max(x) FROM mem").GetValue(1, 0));
  EXPECT_EQ(Run("SELECT id, id, s FROM seg WHERE s = 'cherry' ORDER BY 1").RowCount(), 4u);
  EXPECT_EQ(Run("SELECT * FROM seg LIMIT 5").RowCount(), 5u);
}

TEST_F(SegmentScanTest, ExplainShowsThePruningPredicates) {
  std::string plan =
      Explain("SELECT id FROM seg WHERE d >= DATE '2024-03-01' AND s IN ('beta', 'alpha')");
  EXPECT_NE(plan.find("pruning: d >= 2024-03-01, s IN ('alpha','beta')"), std::string::npos)
      << plan;
  plan = Explain("SELECT id FROM seg WHERE id BETWEEN 3 AND 9 AND 5 < k AND x IS NOT NULL");
  EXPECT_NE(plan.find("pruning: id >= 3, id <= 9, k > 5, x IS NOT NULL"), std::string::npos)
      << plan;
  // A widening cast of the column is seen through; LIKE and OR are not used.
  plan = Explain("SELECT id FROM seg WHERE sm = 3 AND long_s LIKE 'a%' AND (k = 1 OR k = 2)");
  EXPECT_NE(plan.find("pruning: sm = 3 ("), std::string::npos) << plan;
  // In-memory tables prune nothing and say nothing.
  plan = Explain("SELECT id FROM mem WHERE id = 3");
  EXPECT_EQ(plan.find("pruning"), std::string::npos) << plan;
}

// Runs `node` as `instances` instances sharing one query, taking turns on
// this thread, and returns the rows and the counters summed over them.
struct ScanRun {
  uint64_t rows = 0;
  std::map<std::string, uint64_t> counters;
  std::vector<std::map<std::string, uint64_t>> per_instance;
};

ScanRun RunScan(const TableScanNode& node, int instances) {
  QueryContext query;
  query.SetSharedState(node.id, node.CreateSharedState(query));
  std::vector<std::unique_ptr<Operator>> ops;
  for (int i = 0; i < instances; i++) {
    InstanceContext ctx;
    ctx.query = &query;
    ctx.instance = i;
    ctx.num_instances = instances;
    ops.push_back(CreateOperatorTree(node, ctx));
  }
  ScanRun run;
  std::vector<bool> done(instances, false);
  for (int left = instances; left > 0;) {
    for (int i = 0; i < instances; i++) {
      if (done[i]) continue;
      DataChunk out;
      if (ops[i]->Next(out) == OperatorResult::kFinished) {
        done[i] = true;
        left--;
        continue;
      }
      EXPECT_EQ(out.ColumnCount(), node.column_ids.size());
      run.rows += out.size();
    }
  }
  for (const auto& op : ops) {
    run.per_instance.push_back(op->stats().counters);
    for (const auto& [name, value] : op->stats().counters) run.counters[name] += value;
  }
  return run;
}

ExpressionPtr Compare(const char* op, idx_t input, Value constant) {
  const LogicalType type = constant.type();
  std::optional<BoundScalarFunction> fn =
      FunctionRegistry::Get().BindScalar(op, {type, type}, {nullptr, &constant});
  EXPECT_TRUE(fn.has_value());
  std::vector<ExpressionPtr> args;
  args.push_back(Expression::MakeInputRef(input, type));
  args.push_back(Expression::MakeConstant(std::move(constant)));
  return Expression::MakeFunction(std::move(*fn), std::move(args));
}

ExpressionPtr And(ExpressionPtr a, ExpressionPtr b) {
  std::vector<ExpressionPtr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return Expression::MakeBoolean(ExprKind::kAnd, std::move(args));
}

std::unique_ptr<TableScanNode> Scan(const std::shared_ptr<TableEntry>& table,
                                    std::vector<idx_t> column_ids, ExpressionPtr filter) {
  auto node = std::make_unique<TableScanNode>();
  node->id = 1;
  for (idx_t id : column_ids) node->types.push_back(table->columns[id].type);
  node->table = table;
  node->column_ids = std::move(column_ids);
  node->filter = std::move(filter);
  return node;
}

TEST_F(SegmentScanTest, CountersShowPruning) {
  // 6000 + 6500 + 5000 rows in blocks of 1024: 6 + 7 + 5 blocks.
  {
    // A narrow range of the sorted id: one block of the first segment; every
    // other block is skipped by its zone map, the filter reads one block.
    auto node = Scan(seg_, {kId, kLong},
                     And(Compare(">=", 0, Value::Bigint(2100)), Compare("<", 0, Value::Bigint(2140))));
    ScanRun run = RunScan(*node, 2);
    EXPECT_EQ(run.rows, 40u);
    EXPECT_EQ(run.counters["segments_total"], 3u);
    EXPECT_EQ(run.counters["segments_pruned"], 0u);
    EXPECT_EQ(run.counters["blocks_total"], 18u);
    EXPECT_EQ(run.counters["blocks_pruned_zonemap"], 17u);
    EXPECT_EQ(run.counters["blocks_pruned_bitmap"], 0u);
    EXPECT_EQ(run.counters["rows_read"], kBlockRows);
    // Each instance reports its own part.
    ASSERT_EQ(run.per_instance.size(), 2u);
    EXPECT_EQ(run.per_instance[0]["segments_total"] + run.per_instance[1]["segments_total"], 3u);
  }
  {
    // "cherry": none in January (the segment is skipped), two blocks of
    // February and one of March hold it; the bitmap reads just those rows.
    auto node = Scan(seg_, {kId, kS, kK}, Compare("=", 1, Value::Varchar("cherry")));
    ScanRun run = RunScan(*node, 3);
    EXPECT_EQ(run.rows, 4u);
    EXPECT_EQ(run.counters["segments_pruned"], 1u);
    EXPECT_EQ(run.counters["blocks_pruned_zonemap"], 0u);
    EXPECT_EQ(run.counters["blocks_pruned_bitmap"], 18u - 3u);
    EXPECT_EQ(run.counters["rows_read"], 4u);
  }
  {
    // Absent from every dictionary: nothing is read at all.
    auto node = Scan(seg_, {kId, kS}, Compare("=", 1, Value::Varchar("coconut")));
    ScanRun run = RunScan(*node, 2);
    EXPECT_EQ(run.rows, 0u);
    EXPECT_EQ(run.counters["segments_pruned"], 3u);
    EXPECT_EQ(run.counters["rows_read"], 0u);
  }
  {
    // March only: the time chunks skip January and February unopened.
    const Value march = Value::Date(DaysFromCivil(2024, 3, 1));
    auto node = Scan(seg_, {kId, kD}, Compare(">=", 1, march));
    ScanRun run = RunScan(*node, 2);
    EXPECT_EQ(run.rows, static_cast<uint64_t>(kSegmentRows[2]));
    EXPECT_EQ(run.counters["segments_total"], 3u);
    EXPECT_EQ(run.counters["segments_pruned"], 2u);
    EXPECT_EQ(run.counters["blocks_total"], 5u);
    EXPECT_EQ(run.counters["rows_read"], static_cast<uint64_t>(kSegmentRows[2]));
  }
  {
    // count(*): no column read, every row counted.
    auto node = Scan(seg_, {}, nullptr);
    ScanRun run = RunScan(*node, 2);
    EXPECT_EQ(run.rows, static_cast<uint64_t>(total_rows_));
    EXPECT_EQ(run.counters["blocks_pruned_zonemap"], 0u);
  }
}

TEST_F(SegmentScanTest, LateMaterializationReadsOtherColumnsOnlyForSurvivors) {
  // Every k is read; the long strings only for the few rows that pass. The
  // answer is the proof that the two passes line up row for row.
  auto node = Scan(seg_, {kLong, kId, kK, kLong},
                   And(Compare(">", 2, Value::Integer(990)), Compare("<", 1, Value::Bigint(12000))));
  QueryContext query;
  query.SetSharedState(node->id, node->CreateSharedState(query));
  InstanceContext ctx;
  ctx.query = &query;
  auto op = CreateOperatorTree(*node, ctx);
  uint64_t rows = 0;
  DataChunk out;
  while (op->Next(out) == OperatorResult::kHaveData) {
    for (idx_t r = 0; r < out.size(); r++) {
      const int64_t id = out.GetValue(1, r).GetInt64();
      EXPECT_LT(id, 12000);
      EXPECT_GT(out.GetValue(2, r).GetInt64(), 990);
      const Value expected = id % 13 == 0  ? Value::Null(TypeId::kVarchar)
                             : id % 5 == 0 ? Value::Varchar(fmt::format("short{}", id))
                                           : Value::Varchar(LongString(id));
      EXPECT_EQ(out.GetValue(0, r), expected) << id;
      EXPECT_EQ(out.GetValue(3, r), expected) << id;
      rows++;
    }
    out = DataChunk();
  }
  EXPECT_GT(rows, 20u);
  std::map<std::string, uint64_t> counters = op->stats().counters;
  // id < 12000 skips the last block of February and all of March; the
  // filter's columns are read for the rest.
  EXPECT_GE(counters["blocks_pruned_zonemap"], 6u);
  EXPECT_LE(counters["rows_read"], 6000u + 6 * kBlockRows);
}

TEST_F(SegmentScanTest, ACorruptSegmentFailsTheQueryCleanly) {
  std::mt19937_64 rng(3);
  std::vector<Row> rows = MonthRows(0, 0, 5000, rng);
  ASSERT_TRUE(con_.Query(std::string("CREATE TABLE bad ") + kCreateColumns).ok);
  auto bad = db_.instance().catalog().GetTable("main", "bad");
  std::shared_ptr<SegmentHandle> handle = WriteSegment("bad", TimeChunk{}, 0, rows);
  const std::string path = handle->file_path();
  // Damage block 2 of column k.
  std::vector<char> bytes = ReadFileBytes(path);
  uint64_t footer_size;
  std::memcpy(&footer_size, bytes.data() + bytes.size() - segment::kTrailerSize, 8);
  const uint64_t footer_offset = bytes.size() - segment::kTrailerSize - footer_size;
  segment::SegmentFooter footer = segment::ReadFooter(
      reinterpret_cast<const uint8_t*>(bytes.data()) + footer_offset, footer_size, footer_offset);
  const segment::RegionRef& region = footer.columns[kK].blocks[2].region;
  bytes[region.offset + region.stored_size / 2] ^= 0x5a;
  WriteFileBytes(path, bytes);
  Install(bad, {handle});

  for (int attempt = 0; attempt < 3; attempt++) {
    QueryResult r = con_.Query("SELECT sum(k), count(*) FROM bad WHERE id >= 0");
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.error_code, "XX001");
    EXPECT_NE(r.error_message.find(handle->id()), std::string::npos) << r.error_message;
    EXPECT_NE(r.error_message.find("column \"k\""), std::string::npos) << r.error_message;
  }
  // Blocks the query does not need are still readable.
  QueryResult ok = con_.Query("SELECT count(*) FROM bad WHERE id < 100");
  ASSERT_TRUE(ok.ok) << ok.error_message;
  EXPECT_EQ(ok.GetValue(0, 0).GetInt64(), 100);
  EXPECT_TRUE(con_.Query("SELECT count(*) FROM seg").ok);

  // A segment whose file is gone.
  std::filesystem::remove(path);
  Install(bad, {std::make_shared<SegmentHandle>(handle->record(), handle->directory(), nullptr)});
  QueryResult missing = con_.Query("SELECT count(*) FROM bad WHERE k > 0");
  ASSERT_FALSE(missing.ok);
  EXPECT_EQ(missing.error_code, "58P01");
}

}  // namespace
}  // namespace basalt
