#include "storage/parquet/thrift_compact.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "storage/parquet/thrift_test_encoder.h"

namespace basalt::parquet {
namespace {

using testing::TestEncoder;

ThriftCompactReader ReaderOf(const std::vector<uint8_t>& bytes) {
  return ThriftCompactReader(bytes.data(), bytes.size());
}

TEST(ThriftCompactTest, Varints) {
  const uint64_t values[] = {
      0, 1, 127, 128, 300, 16383, 16384, 0xffffffffull, std::numeric_limits<uint64_t>::max()};
  for (uint64_t v : values) {
    TestEncoder e;
    e.Varint(v);
    auto in = ReaderOf(e.bytes());
    EXPECT_EQ(in.ReadVarint(), v);
    EXPECT_EQ(in.position(), e.size());
  }
  // 2^64 - 1 takes exactly ten bytes, the last one 0x01.
  TestEncoder max;
  max.Varint(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(max.size(), 10u);
}

TEST(ThriftCompactTest, MalformedVarints) {
  // Eleven bytes: the tenth still has its continuation bit.
  std::vector<uint8_t> eleven(10, 0x80);
  eleven.push_back(0x01);
  EXPECT_THROW(ReaderOf(eleven).ReadVarint(), ParquetDecodeError);
  // Ten bytes whose last one carries bits past 64.
  std::vector<uint8_t> overflow(9, 0xff);
  overflow.push_back(0x02);
  EXPECT_THROW(ReaderOf(overflow).ReadVarint(), ParquetDecodeError);
  // Truncated: continuation bit on the last byte, or nothing at all.
  EXPECT_THROW(ReaderOf({0x80, 0x80}).ReadVarint(), ParquetDecodeError);
  EXPECT_THROW(ReaderOf({}).ReadVarint(), ParquetDecodeError);
}

TEST(ThriftCompactTest, ZigzagIntegers) {
  for (int16_t v : {int16_t{0}, int16_t{-1}, int16_t{1}, std::numeric_limits<int16_t>::min(),
                    std::numeric_limits<int16_t>::max()}) {
    TestEncoder e;
    e.I16(v);
    EXPECT_EQ(ReaderOf(e.bytes()).ReadI16(), v);
  }
  for (int32_t v : {0, -1, 1, -64, 64, std::numeric_limits<int32_t>::min(),
                    std::numeric_limits<int32_t>::max()}) {
    TestEncoder e;
    e.I32(v);
    EXPECT_EQ(ReaderOf(e.bytes()).ReadI32(), v);
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{1} << 40,
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    TestEncoder e;
    e.I64(v);
    EXPECT_EQ(ReaderOf(e.bytes()).ReadI64(), v);
  }
  // Zigzag: 1 is -1, 2 is 1.
  EXPECT_EQ(ReaderOf({0x01}).ReadI32(), -1);
  EXPECT_EQ(ReaderOf({0x02}).ReadI32(), 1);
}

TEST(ThriftCompactTest, IntegersOutOfTheirRange) {
  TestEncoder over_i16;
  over_i16.Varint(0x10000);
  EXPECT_THROW(ReaderOf(over_i16.bytes()).ReadI16(), ParquetDecodeError);
  TestEncoder over_i32;
  over_i32.Varint(uint64_t{1} << 32);
  EXPECT_THROW(ReaderOf(over_i32.bytes()).ReadI32(), ParquetDecodeError);
}

TEST(ThriftCompactTest, DoubleIsEightBytesLittleEndian) {
  TestEncoder e;
  e.Double(1.5).Double(-0.0).Double(std::numeric_limits<double>::infinity());
  EXPECT_EQ(e.bytes()[7], 0x3f);  // 1.5 = 0x3FF8000000000000, low byte first
  auto in = ReaderOf(e.bytes());
  EXPECT_EQ(in.ReadDouble(), 1.5);
  const double negative_zero = in.ReadDouble();
  EXPECT_TRUE(negative_zero == 0.0 && std::signbit(negative_zero));
  EXPECT_TRUE(std::isinf(in.ReadDouble()));
  EXPECT_THROW(ReaderOf({0, 0, 0, 0, 0, 0, 0}).ReadDouble(), ParquetDecodeError);
}

TEST(ThriftCompactTest, Binary) {
  TestEncoder e;
  e.Binary("hello").Binary("");
  auto in = ReaderOf(e.bytes());
  EXPECT_EQ(in.ReadBinary(), "hello");
  EXPECT_EQ(in.ReadString(), "");
  EXPECT_EQ(in.remaining(), 0u);
}

TEST(ThriftCompactTest, BinaryLengthPastTheEnd) {
  // One byte short.
  TestEncoder short_one;
  short_one.Varint(4).Raw({'a', 'b', 'c'});
  EXPECT_THROW(ReaderOf(short_one.bytes()).ReadBinary(), ParquetDecodeError);
  // A negative length, as a writer with a signed length would produce it:
  // -1 as a 32-bit and as a 64-bit varint.
  TestEncoder minus_one_32;
  minus_one_32.Varint(0xffffffffu).Raw({'x'});
  EXPECT_THROW(ReaderOf(minus_one_32.bytes()).ReadBinary(), ParquetDecodeError);
  TestEncoder minus_one_64;
  minus_one_64.Varint(std::numeric_limits<uint64_t>::max()).Raw({'x'});
  EXPECT_THROW(ReaderOf(minus_one_64.bytes()).ReadBinary(), ParquetDecodeError);
}

TEST(ThriftCompactTest, FieldHeadersShortAndLongForm) {
  TestEncoder e;
  e.Begin()
      .I32Field(1, 7)     // delta 1
      .I32Field(16, 8)    // delta 15, the largest short one
      .I32Field(100, 9)   // delta 84: long form
      .I32Field(101, 10)  // short again, relative to 100
      .I32Field(5, 11)    // a smaller id: long form
      .I32Field(-3, 12)   // negative ids exist in Thrift
      .End();
  auto in = ReaderOf(e.bytes());
  in.ReadStructBegin();
  const int16_t ids[] = {1, 16, 100, 101, 5, -3};
  for (int i = 0; i < 6; ++i) {
    const FieldHeader f = in.ReadFieldHeader();
    EXPECT_EQ(f.type, CompactType::kI32);
    EXPECT_EQ(f.id, ids[i]);
    EXPECT_EQ(in.ReadI32(), 7 + i);
  }
  EXPECT_EQ(in.ReadFieldHeader().type, CompactType::kStop);
  in.ReadStructEnd();
  EXPECT_EQ(in.position(), e.size());
}

TEST(ThriftCompactTest, LongFormEvenWhereShortFits) {
  TestEncoder e;
  e.Begin().Field(CompactType::kI64, 2, /*long_form=*/true).I64(-5).End();
  auto in = ReaderOf(e.bytes());
  in.ReadStructBegin();
  const FieldHeader f = in.ReadFieldHeader();
  EXPECT_EQ(f.id, 2);
  EXPECT_EQ(in.ReadI64(), -5);
}

TEST(ThriftCompactTest, FieldIdsAreRelativeToTheirOwnStruct) {
  TestEncoder e;
  e.Begin().I32Field(3, 1).StructField(4).I32Field(1, 2).End().I32Field(5, 3).End();
  auto in = ReaderOf(e.bytes());
  in.ReadStructBegin();
  EXPECT_EQ(in.ReadFieldHeader().id, 3);
  in.ReadI32();
  EXPECT_EQ(in.ReadFieldHeader().id, 4);
  in.ReadStructBegin();
  EXPECT_EQ(in.ReadFieldHeader().id, 1);
  in.ReadI32();
  EXPECT_EQ(in.ReadFieldHeader().type, CompactType::kStop);
  in.ReadStructEnd();
  // Back in the outer struct the delta counts from 4 again.
  EXPECT_EQ(in.ReadFieldHeader().id, 5);
}

TEST(ThriftCompactTest, BoolFieldsCarryTheirValueInTheHeader) {
  TestEncoder e;
  e.Begin().BoolField(1, true).BoolField(2, false).End();
  EXPECT_EQ(e.size(), 3u);  // no value bytes
  auto in = ReaderOf(e.bytes());
  in.ReadStructBegin();
  FieldHeader f = in.ReadFieldHeader();
  EXPECT_EQ(f.type, CompactType::kBool);
  EXPECT_TRUE(in.ReadBool());
  f = in.ReadFieldHeader();
  EXPECT_EQ(f.type, CompactType::kBool);
  EXPECT_FALSE(in.ReadBool());
  EXPECT_EQ(in.ReadFieldHeader().type, CompactType::kStop);
}

TEST(ThriftCompactTest, MalformedFieldHeaders) {
  auto header_of = [](std::vector<uint8_t> bytes) {
    auto in = ReaderOf(bytes);
    in.ReadStructBegin();
    in.ReadFieldHeader();
  };
  EXPECT_THROW(header_of({0x1e}), ParquetDecodeError);  // type 14
  EXPECT_THROW(header_of({0x1f}), ParquetDecodeError);  // type 15
  EXPECT_THROW(header_of({0x10}), ParquetDecodeError);  // type 0 with a delta
  EXPECT_THROW(header_of({}), ParquetDecodeError);      // nothing
  EXPECT_THROW(header_of({0x05}), ParquetDecodeError);  // long form without its id
  // A delta that takes the id past 32767.
  TestEncoder e;
  e.Begin().Field(CompactType::kI32, 32767).I32(0).Raw({0x15, 0x00});
  auto in = ReaderOf(e.bytes());
  in.ReadStructBegin();
  in.ReadFieldHeader();
  in.ReadI32();
  EXPECT_THROW(in.ReadFieldHeader(), ParquetDecodeError);
}

TEST(ThriftCompactTest, ListsShortAndLongSize) {
  TestEncoder e;
  e.List(CompactType::kI32, 3).I32(1).I32(-2).I32(3);
  e.List(CompactType::kBinary, 20);
  for (int i = 0; i < 20; ++i) e.Binary("x");
  auto in = ReaderOf(e.bytes());
  ListHeader h = in.ReadListHeader();
  EXPECT_EQ(h.element_type, CompactType::kI32);
  ASSERT_EQ(h.size, 3u);
  EXPECT_EQ(in.ReadI32(), 1);
  EXPECT_EQ(in.ReadI32(), -2);
  EXPECT_EQ(in.ReadI32(), 3);
  h = in.ReadListHeader();
  EXPECT_EQ(h.element_type, CompactType::kBinary);
  EXPECT_EQ(h.size, 20u);
}

TEST(ThriftCompactTest, BoolListElementsAreBytes) {
  // Element type 1 or 2 both mean bool; values 1 true, 0 or 2 false.
  const std::vector<uint8_t> bytes = {0x42, 0x01, 0x02, 0x00, 0x01};
  auto in = ReaderOf(bytes);
  const ListHeader h = in.ReadListHeader();
  EXPECT_EQ(h.element_type, CompactType::kBool);
  ASSERT_EQ(h.size, 4u);
  EXPECT_TRUE(in.ReadBool());
  EXPECT_FALSE(in.ReadBool());
  EXPECT_FALSE(in.ReadBool());
  EXPECT_TRUE(in.ReadBool());
  const std::vector<uint8_t> bad_bytes = {0x11, 0x03};
  auto bad = ReaderOf(bad_bytes);
  bad.ReadListHeader();
  EXPECT_THROW(bad.ReadBool(), ParquetDecodeError);
}

TEST(ThriftCompactTest, ListSizesAreCheckedBeforeAnything) {
  // 2^31 - 1 elements in a 1 KiB buffer.
  TestEncoder huge;
  huge.List(CompactType::kStruct, std::numeric_limits<int32_t>::max());
  std::vector<uint8_t> buffer = huge.bytes();
  buffer.resize(1024, 0);
  EXPECT_THROW(ReaderOf(buffer).ReadListHeader(), ParquetDecodeError);
  EXPECT_THROW(ReaderOf(buffer).Skip(CompactType::kList), ParquetDecodeError);
  // A size over 2^31 - 1 (a negative size).
  TestEncoder negative;
  negative.Raw({0xf5}).Varint(0xffffffffu);
  EXPECT_THROW(ReaderOf(negative.bytes()).ReadListHeader(), ParquetDecodeError);
  // Three doubles need 24 bytes, not 16.
  TestEncoder doubles;
  doubles.List(CompactType::kDouble, 3).Double(1).Double(2);
  EXPECT_THROW(ReaderOf(doubles.bytes()).ReadListHeader(), ParquetDecodeError);
  // Unknown element type.
  EXPECT_THROW(ReaderOf({0x1e, 0x00}).ReadListHeader(), ParquetDecodeError);
  // An empty list's element type does not matter.
  EXPECT_EQ(ReaderOf({0x00}).ReadListHeader().size, 0u);
}

TEST(ThriftCompactTest, Maps) {
  TestEncoder e;
  e.Map(CompactType::kBinary, CompactType::kI32, 2).Binary("a").I32(1).Binary("b").I32(2);
  e.Map(CompactType::kBinary, CompactType::kI32, 0);
  auto in = ReaderOf(e.bytes());
  MapHeader h = in.ReadMapHeader();
  EXPECT_EQ(h.size, 2u);
  EXPECT_EQ(h.key_type, CompactType::kBinary);
  EXPECT_EQ(h.value_type, CompactType::kI32);
  EXPECT_EQ(in.ReadString(), "a");
  EXPECT_EQ(in.ReadI32(), 1);
  EXPECT_EQ(in.ReadString(), "b");
  EXPECT_EQ(in.ReadI32(), 2);
  h = in.ReadMapHeader();  // empty: no type byte
  EXPECT_EQ(h.size, 0u);
  EXPECT_EQ(in.remaining(), 0u);

  TestEncoder huge;
  huge.Map(CompactType::kI32, CompactType::kI32, 1000).I32(1).I32(2);
  EXPECT_THROW(ReaderOf(huge.bytes()).ReadMapHeader(), ParquetDecodeError);
}

TEST(ThriftCompactTest, StructNestingIsLimited) {
  std::vector<uint8_t> nothing;
  ThriftCompactReader in(nothing.data(), 0);
  for (int i = 0; i < ThriftCompactReader::kMaxDepth; ++i) in.ReadStructBegin();
  EXPECT_THROW(in.ReadStructBegin(), ParquetDecodeError);
}

// Every type in one struct: Skip must consume exactly the struct.
TestEncoder EveryType() {
  TestEncoder e;
  e.Begin()
      .BoolField(1, true)
      .BoolField(2, false)
      .Field(CompactType::kByte, 3)
      .Raw({0xff})
      .Field(CompactType::kI16, 4)
      .I16(-300)
      .I32Field(5, 1 << 20)
      .I64Field(6, -(int64_t{1} << 50))
      .Field(CompactType::kDouble, 7)
      .Double(2.5)
      .BinaryField(8, "bytes")
      .ListField(9, CompactType::kBool, 3)
      .Raw({1, 2, 0})
      .Field(CompactType::kSet, 10)
      .List(CompactType::kI64, 2)
      .I64(1)
      .I64(2)
      .Field(CompactType::kMap, 11)
      .Map(CompactType::kBinary, CompactType::kStruct, 1)
      .Binary("k")
      .Begin()
      .BoolField(1, true)
      .End()
      .StructField(12)
      .ListField(1, CompactType::kList, 1)
      .List(CompactType::kDouble, 1)
      .Double(1)
      .End()
      .Field(CompactType::kUuid, 13)
      .Raw({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
      .Field(CompactType::kMap, 14)
      .Map(CompactType::kI32, CompactType::kI32, 0)
      .ListField(15, CompactType::kStruct, 0)
      .Field(CompactType::kBinary, 300)
      .Binary(std::string(200, 'z'))
      .End();
  return e;
}

TEST(ThriftCompactTest, SkipConsumesEveryType) {
  TestEncoder e = EveryType();
  e.Raw({0xAA});  // a byte after the struct, not consumed
  auto in = ReaderOf(e.bytes());
  in.Skip(CompactType::kStruct);
  EXPECT_EQ(in.position(), e.size() - 1);
}

TEST(ThriftCompactTest, SkipOfEveryTruncationThrows) {
  const std::vector<uint8_t> full = EveryType().bytes();
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> prefix(full.begin(), full.begin() + n);
    EXPECT_THROW(ReaderOf(prefix).Skip(CompactType::kStruct), ParquetDecodeError) << n;
  }
}

TEST(ThriftCompactTest, SkipOfDeepNestingThrows) {
  // 100 structs, each the only field of its parent.
  TestEncoder structs;
  structs.Begin();
  for (int i = 0; i < 100; ++i) structs.StructField(1);
  for (int i = 0; i < 101; ++i) structs.End();
  EXPECT_THROW(ReaderOf(structs.bytes()).Skip(CompactType::kStruct), ParquetDecodeError);

  // 100 lists, each the only element of its parent: no struct involved.
  TestEncoder lists;
  for (int i = 0; i < 100; ++i) lists.List(CompactType::kList, 1);
  lists.List(CompactType::kI32, 0);
  EXPECT_THROW(ReaderOf(lists.bytes()).Skip(CompactType::kList), ParquetDecodeError);

  // Maps of maps.
  TestEncoder maps;
  for (int i = 0; i < 100; ++i) maps.Map(CompactType::kI32, CompactType::kMap, 1).I32(i);
  maps.Map(CompactType::kI32, CompactType::kI32, 0);
  EXPECT_THROW(ReaderOf(maps.bytes()).Skip(CompactType::kMap), ParquetDecodeError);

  // Within the limit it works.
  TestEncoder shallow;
  shallow.Begin();
  for (int i = 0; i < 30; ++i) shallow.StructField(1);
  for (int i = 0; i < 31; ++i) shallow.End();
  auto in = ReaderOf(shallow.bytes());
  in.Skip(CompactType::kStruct);
  EXPECT_EQ(in.position(), shallow.size());
}

TEST(ThriftCompactTest, SkipOfStopThrows) {
  EXPECT_THROW(ReaderOf({0x00}).Skip(CompactType::kStop), ParquetDecodeError);
}

TEST(ThriftCompactTest, ErrorsNameTheOffset) {
  TestEncoder e;
  e.Varint(1).Varint(10).Raw({'a'});
  auto in = ReaderOf(e.bytes());
  in.ReadVarint();
  try {
    in.ReadBinary();
    FAIL() << "no error";
  } catch (const ParquetDecodeError& error) {
    EXPECT_NE(std::string(error.what()).find("at byte 2"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace basalt::parquet
