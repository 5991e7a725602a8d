#include "server/pg_data_rows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "common/decimal.h"
#include "common/pg_types.h"
#include "server/pg_binary.h"

namespace basalt {
namespace {

// The cell the per-value encoding gives: length word and PgTextOf / PgBinaryOf.
std::string ExpectedCell(const Value& value, PgFormat format) {
  WireWriter w;
  if (value.IsNull()) {
    w.AddInt32(-1);
    return w.data();
  }
  std::string data = format == PgFormat::kBinary ? PgBinaryOf(value) : PgTextOf(value);
  w.AddInt32(static_cast<int32_t>(data.size()));
  w.AddBytes(data);
  return w.data();
}

Interval MakeInterval(int32_t months, int32_t days, int64_t micros) {
  Interval v;
  v.months = months;
  v.days = days;
  v.micros = micros;
  return v;
}

// Varied values of every type, edge cases first; the test cycles through them.
std::vector<std::vector<Value>> ValuesOfEveryType() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr float kFloatInf = std::numeric_limits<float>::infinity();
  int64_t micros_per_day = int64_t{86400} * 1000000;
  std::vector<std::vector<Value>> types = {
      {Value::Boolean(true), Value::Boolean(false)},
      {Value::Smallint(0), Value::Smallint(-32768), Value::Smallint(32767), Value::Smallint(-7)},
      {Value::Integer(0), Value::Integer(std::numeric_limits<int32_t>::min()),
       Value::Integer(std::numeric_limits<int32_t>::max()), Value::Integer(42)},
      {Value::Bigint(0), Value::Bigint(std::numeric_limits<int64_t>::min()),
       Value::Bigint(std::numeric_limits<int64_t>::max()), Value::Bigint(-1234567890123)},
      {Value::Real(0.0f), Value::Real(-0.0f), Value::Real(0.1f), Value::Real(1e6f),
       Value::Real(1e20f), Value::Real(-3.25f), Value::Real(1e-7f), Value::Real(NAN),
       Value::Real(kFloatInf), Value::Real(-kFloatInf), Value::Real(16777216.0f)},
      {Value::Double(0.0), Value::Double(-0.0), Value::Double(0.1 + 0.2), Value::Double(1e15),
       Value::Double(1.5e15), Value::Double(1e16), Value::Double(123456789012345.6),
       Value::Double(1e-5), Value::Double(5e-324), Value::Double(1.7976931348623157e308),
       Value::Double(NAN), Value::Double(kInf), Value::Double(-kInf), Value::Double(-2.5)},
      // DECIMAL(12,2), stored in an int64.
      {Value::Decimal(0, 12, 2), Value::Decimal(5, 12, 2), Value::Decimal(-5, 12, 2),
       Value::Decimal(12345, 12, 2), Value::Decimal(999999999999, 12, 2),
       Value::Decimal(-100000000000, 12, 2)},
      // DECIMAL(38,10), stored in an int128.
      {Value::Decimal(0, 38, 10), Value::Decimal(MaxDecimalValue(38), 38, 10),
       Value::Decimal(-MaxDecimalValue(38), 38, 10), Value::Decimal(1, 38, 10),
       Value::Decimal(Pow10(30) + 7, 38, 10), Value::Decimal(-Pow10(10), 38, 10)},
      // Scales 0 and 38.
      {Value::Decimal(10000, 5, 0), Value::Decimal(-99999, 5, 0), Value::Decimal(0, 5, 0)},
      {Value::Decimal(1, 38, 38), Value::Decimal(-MaxDecimalValue(38), 38, 38),
       Value::Decimal(Pow10(37), 38, 38)},
      {Value::Varchar(""), Value::Varchar("x"), Value::Varchar("héllo, wörld"),
       Value::Varchar("a string longer than twelve bytes"), Value::Varchar("t")},
      {Value::Date(0), Value::Date(10957), Value::Date(-719528), Value::Date(-800000),
       Value::Date(2932896), Value::Date(19000)},
      {Value::Timestamp(0), Value::Timestamp(int64_t{10957} * micros_per_day + 1),
       Value::Timestamp(-1), Value::Timestamp(int64_t{1700000000} * 1000000 + 123456),
       Value::Timestamp(int64_t{-62198755200} * 1000000), Value::Timestamp(500000)},
      {Value::FromInterval(MakeInterval(0, 0, 0)), Value::FromInterval(MakeInterval(14, 3, 4)),
       Value::FromInterval(MakeInterval(-1, 2, -3723000001)),
       Value::FromInterval(MakeInterval(0, -1, 7200000000)),
       Value::FromInterval(MakeInterval(12, 0, 0))},
  };
  return types;
}

// A chunk with, for every type, a flat column with NULLs, a dictionary
// column (a shuffled selection of a flat one), a constant and a constant NULL.
DataChunk VariedChunk(idx_t rows) {
  DataChunk chunk;
  std::mt19937 random(7);
  for (const std::vector<Value>& values : ValuesOfEveryType()) {
    const LogicalType& type = values[0].type();
    Vector flat(type, kBatchSize);
    for (idx_t r = 0; r < rows; ++r) {
      if (r % 5 == 3) {
        flat.SetNull(r);
      } else {
        flat.SetValue(r, values[r % values.size()]);
      }
    }
    chunk.AddColumn(flat);

    Vector base(type, kBatchSize);
    for (idx_t r = 0; r < kBatchSize; ++r) {
      if (r % 7 == 2) {
        base.SetNull(r);
      } else {
        base.SetValue(r, values[(r * 3) % values.size()]);
      }
    }
    SelectionVector shuffle(kBatchSize);
    for (idx_t r = 0; r < rows; ++r) {
      shuffle.Set(r, static_cast<uint32_t>(random() % kBatchSize));
    }
    Vector dictionary;
    dictionary.Reference(base);
    dictionary.Slice(shuffle, rows);
    EXPECT_EQ(dictionary.kind(), VectorKind::kDictionary);
    chunk.AddColumn(dictionary);

    chunk.AddColumn(Vector(values[values.size() / 2]));
    chunk.AddColumn(Vector(Value::Null(type)));
  }
  // An untyped NULL column (SELECT NULL) is text in RowDescription.
  chunk.AddColumn(Vector(Value::Null()));
  chunk.SetSize(rows);
  return chunk;
}

void ExpectSameAsPerValueEncoding(const DataChunk& chunk, PgFormat format, idx_t begin, idx_t end) {
  PgDataRowEncoder encoder(std::vector<PgFormat>(chunk.ColumnCount(), format));
  encoder.Encode(chunk, begin, end);
  for (idx_t row = begin; row < end; ++row) {
    std::string expected_row;
    for (idx_t column = 0; column < chunk.ColumnCount(); ++column) {
      Value value = chunk.GetValue(column, row);
      std::string expected = ExpectedCell(value, format);
      ASSERT_EQ(encoder.Cell(column, row), expected)
          << "column " << column << " (" << chunk.column(column).type().ToString() << "), row "
          << row << ": " << value.ToString();
      expected_row += expected;
    }
    // The DataRow is the column count and the cells in order.
    WireWriter expected_message;
    expected_message.BeginMessage('D');
    expected_message.AddInt16(static_cast<int16_t>(chunk.ColumnCount()));
    expected_message.AddBytes(expected_row);
    expected_message.EndMessage();
    WireWriter message;
    encoder.AppendDataRow(row, message);
    ASSERT_EQ(message.data(), expected_message.data()) << "row " << row;
  }
}

TEST(PgDataRowsTest, TextEqualsPerValueEncodingForEveryType) {
  DataChunk chunk = VariedChunk(100);
  ExpectSameAsPerValueEncoding(chunk, PgFormat::kText, 0, chunk.size());
  // A range that does not start at row 0 runs the casts under a selection.
  ExpectSameAsPerValueEncoding(chunk, PgFormat::kText, 17, 61);
}

TEST(PgDataRowsTest, BinaryEqualsPerValueEncodingForEveryType) {
  DataChunk chunk = VariedChunk(100);
  ExpectSameAsPerValueEncoding(chunk, PgFormat::kBinary, 0, chunk.size());
  ExpectSameAsPerValueEncoding(chunk, PgFormat::kBinary, 17, 61);
}

TEST(PgDataRowsTest, MixedFormatsAndReuseAcrossChunks) {
  DataChunk big = VariedChunk(kBatchSize);
  DataChunk small = VariedChunk(3);
  std::vector<PgFormat> formats;
  for (idx_t i = 0; i < big.ColumnCount(); ++i) {
    formats.push_back(i % 3 == 0 ? PgFormat::kBinary : PgFormat::kText);
  }
  PgDataRowEncoder encoder(formats);
  for (const DataChunk* chunk : {&big, &small, &big}) {
    std::vector<std::pair<idx_t, idx_t>> ranges = {{0, chunk->size()}, {1, 2}, {2, 2}};
    for (auto [begin, end] : ranges) {
      if (end > chunk->size()) continue;
      encoder.Encode(*chunk, begin, end);
      for (idx_t row = begin; row < end; ++row) {
        for (idx_t column = 0; column < chunk->ColumnCount(); ++column) {
          ASSERT_EQ(encoder.Cell(column, row),
                    ExpectedCell(chunk->GetValue(column, row), formats[column]))
              << "column " << column << ", row " << row;
        }
      }
    }
  }
}

// The string-based NUMERIC encoding the server used before PutPgNumericBinary:
// the oracle for the word arithmetic that replaced it.
std::string ReferenceNumericBinary(int128_t raw, int scale) {
  bool negative = raw < 0;
  std::string decimal = Int128ToString(negative ? -raw : raw);
  if (decimal.size() < static_cast<size_t>(scale) + 1) {
    decimal.insert(0, scale + 1 - decimal.size(), '0');
  }
  std::string integer_part = decimal.substr(0, decimal.size() - scale);
  std::string fraction_part = decimal.substr(decimal.size() - scale);
  integer_part.insert(0, (4 - integer_part.size() % 4) % 4, '0');
  fraction_part.append((4 - fraction_part.size() % 4) % 4, '0');
  std::vector<int16_t> words;
  for (size_t i = 0; i < integer_part.size(); i += 4) {
    words.push_back(static_cast<int16_t>(std::stoi(integer_part.substr(i, 4))));
  }
  int weight = static_cast<int>(words.size()) - 1;
  for (size_t i = 0; i < fraction_part.size(); i += 4) {
    words.push_back(static_cast<int16_t>(std::stoi(fraction_part.substr(i, 4))));
  }
  size_t first = 0;
  while (first < words.size() && words[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = words.size();
  while (last > first && words[last - 1] == 0) --last;
  if (first == last) {
    weight = 0;
    negative = false;
  }
  WireWriter w;
  w.AddInt16(static_cast<int16_t>(last - first));
  w.AddInt16(static_cast<int16_t>(weight));
  w.AddInt16(static_cast<int16_t>(negative ? 0x4000 : 0));
  w.AddInt16(static_cast<int16_t>(scale));
  for (size_t i = first; i < last; ++i) w.AddInt16(words[i]);
  return w.data();
}

TEST(PgDataRowsTest, NumericBinaryMatchesTheStringBasedEncoding) {
  std::mt19937_64 random(11);
  std::vector<int128_t> raws = {0,
                                1,
                                -1,
                                9999,
                                10000,
                                -10001,
                                MaxDecimalValue(38),
                                -MaxDecimalValue(38),
                                Pow10(37),
                                std::numeric_limits<int64_t>::max(),
                                std::numeric_limits<int64_t>::min()};
  for (int i = 0; i < 2000; ++i) {
    // Magnitudes of every digit count up to 38, with runs of zeros.
    int digits = static_cast<int>(random() % 39);
    int128_t raw =
        (static_cast<int128_t>(random()) << 64 | random()) % Pow10(digits == 0 ? 1 : digits);
    if (raw < 0) raw = -raw;
    if (random() % 3 == 0) raw -= raw % Pow10(static_cast<int>(random() % (digits + 1)));
    raws.push_back(random() % 2 ? -raw : raw);
  }
  for (int128_t raw : raws) {
    for (int scale : {0, 1, 2, 3, 4, 5, 7, 8, 13, 18, 37, 38}) {
      char buffer[kMaxPgNumericBinarySize];
      char* end = PutPgNumericBinary(buffer, raw, scale);
      ASSERT_EQ(std::string(buffer, end), ReferenceNumericBinary(raw, scale))
          << Int128ToString(raw) << " at scale " << scale;
      // And it decodes back to the same value.
      Value back =
          PgValueFromBinary(std::string_view(buffer, end - buffer), LogicalType::Decimal(38, 0), 1);
      ASSERT_EQ(back.GetDecimal(), raw) << Int128ToString(raw) << " at scale " << scale;
    }
  }
}

}  // namespace
}  // namespace basalt
