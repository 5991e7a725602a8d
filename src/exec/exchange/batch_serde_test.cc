#include "exec/exchange/batch_serde.h"

#include <gtest/gtest.h>

#include <random>

#include "common/exception.h"

namespace basalt {
namespace {

std::vector<LogicalType> AllTypes() {
  return {TypeId::kBoolean,   TypeId::kSmallint, TypeId::kInteger,
          TypeId::kBigint,    TypeId::kReal,     TypeId::kDouble,
          LogicalType::Decimal(15, 2), LogicalType::Decimal(38, 10), TypeId::kVarchar,
          TypeId::kDate,      TypeId::kTimestamp, TypeId::kInterval};
}

Value ValueFor(const LogicalType& type, int64_t i) {
  switch (type.id()) {
    case TypeId::kBoolean: return Value::Boolean(i % 3 == 0);
    case TypeId::kSmallint: return Value::Smallint(int16_t(i - 500));
    case TypeId::kInteger: return Value::Integer(int32_t(i * 7919));
    case TypeId::kBigint: return Value::Bigint(i * 1'000'000'007LL);
    case TypeId::kReal: return Value::Real(float(i) / 4);
    case TypeId::kDouble: return Value::Double(double(i) / 3);
    case TypeId::kDecimal:
      return Value::Decimal(int128_t(i) * 123456789 * (type.precision() > 18 ? int128_t(1) << 70 : 1),
                            type.precision(), type.scale());
    case TypeId::kVarchar:
      return Value::Varchar(i % 2 ? "short" + std::to_string(i)
                                  : "a string longer than twelve bytes #" + std::to_string(i));
    case TypeId::kDate: return Value::Date(int32_t(i));
    case TypeId::kTimestamp: return Value::Timestamp(i * 3'600'000'000LL);
    case TypeId::kInterval: return Value::FromInterval({int32_t(i % 12), int32_t(-i), i * 1000});
    default: return Value::Null(type);
  }
}

// `rows` rows of every type; every fifth value NULL.
DataChunk MakeBatch(idx_t rows) {
  auto types = AllTypes();
  DataChunk chunk(types);
  for (idx_t c = 0; c < types.size(); c++) {
    for (idx_t r = 0; r < rows; r++) {
      chunk.column(c).SetValue(r, (r + c) % 5 == 0 ? Value::Null(types[c])
                                                     : ValueFor(types[c], int64_t(r)));
    }
  }
  chunk.SetSize(rows);
  return chunk;
}

void ExpectSameRows(const DataChunk& expected, const DataChunk& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  ASSERT_EQ(expected.ColumnCount(), actual.ColumnCount());
  for (idx_t c = 0; c < expected.ColumnCount(); c++) {
    for (idx_t r = 0; r < expected.size(); r++) {
      EXPECT_EQ(expected.GetValue(c, r).ToString(), actual.GetValue(c, r).ToString())
          << "column " << c << " row " << r;
      EXPECT_EQ(expected.column(c).IsNull(r), actual.column(c).IsNull(r));
    }
  }
}

DataChunk RoundTrip(const DataChunk& chunk) {
  SerializedBatch batch;
  SerializeBatch(chunk, &batch);
  EXPECT_EQ(batch.rows, chunk.size());
  return DeserializeBatch(batch.bytes, batch.raw_size, batch.compressed, chunk.Types());
}

TEST(BatchSerdeTest, EveryTypeWithNullsSurvives) {
  for (idx_t rows : {idx_t{0}, idx_t{1}, idx_t{63}, idx_t{64}, idx_t{65}, kBatchSize}) {
    DataChunk chunk = MakeBatch(rows);
    ExpectSameRows(chunk, RoundTrip(chunk));
  }
}

TEST(BatchSerdeTest, DictionaryAndConstantVectorsAreFlattened) {
  DataChunk chunk = MakeBatch(100);
  SelectionVector sel(10);
  for (idx_t i = 0; i < 10; i++) sel.Set(i, uint32_t(99 - i * 7));
  DataChunk sliced;
  sliced.Reference(chunk);
  sliced.Slice(sel, 10);
  ExpectSameRows(sliced, RoundTrip(sliced));

  DataChunk constants;
  constants.AddColumn(Vector(Value::Varchar("the same long string for every row")));
  constants.AddColumn(Vector(Value::Null(TypeId::kBigint)));
  constants.SetSize(50);
  DataChunk back = RoundTrip(constants);
  EXPECT_EQ(back.GetValue(0, 49).ToString(), "the same long string for every row");
  EXPECT_TRUE(back.column(1).IsNull(49));
}

TEST(BatchSerdeTest, RepetitiveBatchesAreCompressed) {
  DataChunk chunk({TypeId::kBigint, TypeId::kVarchar});
  for (idx_t r = 0; r < kBatchSize; r++) {
    chunk.column(0).Data<int64_t>()[r] = int64_t(r % 10);
    chunk.column(1).SetString(r, "AIR");
  }
  chunk.SetSize(kBatchSize);
  SerializedBatch batch;
  SerializeBatch(chunk, &batch);
  EXPECT_TRUE(batch.compressed);
  EXPECT_LT(batch.bytes.size() * 4, batch.raw_size);
  ExpectSameRows(chunk, RoundTrip(chunk));
}

TEST(BatchSerdeTest, DamagedBytesAreAnErrorNeverACrash) {
  DataChunk chunk = MakeBatch(300);
  SerializedBatch batch;
  SerializeBatch(chunk, &batch);
  auto types = chunk.Types();
  auto expect_corrupt = [&](const std::string& bytes, uint32_t raw_size, bool compressed) {
    try {
      DeserializeBatch(bytes, raw_size, compressed, types);
      return true;  // some damage still decodes (a changed value); that is allowed
    } catch (const BasaltError& e) {
      EXPECT_EQ(e.code(), "XX001") << e.what();
      return false;
    }
  };
  EXPECT_FALSE(expect_corrupt(batch.bytes.substr(0, batch.bytes.size() / 2), batch.raw_size,
                              batch.compressed));
  EXPECT_FALSE(expect_corrupt(batch.bytes, batch.raw_size + 1, batch.compressed));
  std::vector<LogicalType> wrong = types;
  wrong[2] = TypeId::kBigint;
  EXPECT_THROW(DeserializeBatch(batch.bytes, batch.raw_size, batch.compressed, wrong), BasaltError);
  wrong.pop_back();
  EXPECT_THROW(DeserializeBatch(batch.bytes, batch.raw_size, batch.compressed, wrong), BasaltError);

  // Random damage, to compressed and to plain batches: an error or a batch,
  // never a crash or a read outside the bytes.
  for (idx_t rows : {idx_t{1}, idx_t{40}}) {
    SerializedBatch raw;
    DataChunk small = MakeBatch(rows);
    SerializeBatch(small, &raw);
    auto small_types = small.Types();
    std::mt19937 random(42);
    for (int trial = 0; trial < 2000; trial++) {
      std::string damaged = raw.bytes;
      int flips = 1 + int(random() % 4);
      for (int f = 0; f < flips; f++) damaged[random() % damaged.size()] ^= char(1 << (random() % 8));
      if (random() % 4 == 0) damaged.resize(random() % damaged.size());
      try {
        DeserializeBatch(damaged, raw.compressed ? raw.raw_size : uint32_t(damaged.size()),
                         raw.compressed, small_types);
      } catch (const BasaltError& e) {
        EXPECT_EQ(e.code(), "XX001");
      }
    }
  }
}

}  // namespace
}  // namespace basalt
