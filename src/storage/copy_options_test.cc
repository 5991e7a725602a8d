#include "storage/copy_options.h"

#include <gtest/gtest.h>

#include "common/exception.h"
#include "storage/csv_test_util.h"

namespace basalt {
namespace {

using testing::ExpectError;

TEST(CopyOptionsTest, FormatFromTheExtensionUnlessGiven) {
  CopyOptions a;
  ResolveCopyOptions(a, "/tmp/out.PARQUET", false);
  EXPECT_EQ(a.format, CopyFormat::kParquet);
  CopyOptions b;
  ResolveCopyOptions(b, "/tmp/out.csv", false);
  EXPECT_EQ(b.format, CopyFormat::kCsv);
  CopyOptions c;
  ApplyCopyOption(c, "format", Value::Varchar("csv"), 0);
  ResolveCopyOptions(c, "/tmp/out.parquet", false);
  EXPECT_EQ(c.format, CopyFormat::kCsv);
}

TEST(CopyOptionsTest, ParquetOptions) {
  CopyOptions o;
  ApplyCopyOption(o, "FORMAT", Value::Varchar("Parquet"), 0);
  ApplyCopyOption(o, "compression", Value::Varchar("ZSTD"), 10);
  ApplyCopyOption(o, "row_group_size", Value::Integer(1000), 20);
  ResolveCopyOptions(o, "/tmp/x", false);
  EXPECT_EQ(o.format, CopyFormat::kParquet);
  EXPECT_EQ(o.parquet.codec, parquet::CompressionCodec::kZstd);
  EXPECT_EQ(o.parquet.row_group_size, 1000);
  CopyOptions lz4;
  ApplyCopyOption(lz4, "compression", Value::Varchar("lz4"), 0);
  EXPECT_EQ(lz4.parquet.codec, parquet::CompressionCodec::kLz4Raw);
}

TEST(CopyOptionsTest, Errors) {
  CopyOptions o;
  ExpectError([&] { ApplyCopyOption(o, "compression", Value::Varchar("brotli"), 0); },
              sqlstate::kInvalidParameterValue, "COMPRESSION \"brotli\" not recognized: expected uncompressed, snappy, gzip, zstd or lz4");
  ExpectError([&] { ApplyCopyOption(o, "row_group_size", Value::Integer(0), 0); },
              sqlstate::kInvalidParameterValue, "ROW_GROUP_SIZE must be a positive integer, not \"0\"");
  CopyOptions twice;
  ApplyCopyOption(twice, "format", Value::Varchar("parquet"), 0);
  ExpectError([&] { ApplyCopyOption(twice, "format", Value::Varchar("csv"), 0); },
              sqlstate::kSyntaxError, "conflicting or redundant options");

  CopyOptions header;
  ApplyCopyOption(header, "header", Value::Null(), 7);
  ApplyCopyOption(header, "format", Value::Varchar("parquet"), 15);
  try {
    ResolveCopyOptions(header, "/tmp/x", false);
    FAIL() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kInvalidParameterValue);
    EXPECT_EQ(e.position(), 7);
  }
  CopyOptions csv;
  ApplyCopyOption(csv, "compression", Value::Varchar("gzip"), 3);
  ExpectError([&] { ResolveCopyOptions(csv, "/tmp/x.csv", false); },
              sqlstate::kInvalidParameterValue, "COPY option \"compression\" is only valid with FORMAT parquet");
  // COPY FROM reads Parquet and JSON (by extension or FORMAT), but only
  // COPY TO takes the writer's options, and nothing writes JSON.
  CopyOptions from;
  ResolveCopyOptions(from, "/tmp/x.parquet", true);
  EXPECT_EQ(from.format, CopyFormat::kParquet);
  CopyOptions from_json;
  ResolveCopyOptions(from_json, "/tmp/x.JSONL", true);
  EXPECT_EQ(from_json.format, CopyFormat::kJson);
  CopyOptions to_json_name;
  ResolveCopyOptions(to_json_name, "/tmp/x.json", false);
  EXPECT_EQ(to_json_name.format, CopyFormat::kCsv);
  CopyOptions to_json;
  ApplyCopyOption(to_json, "format", Value::Varchar("JSON"), 0);
  ExpectError([&] { ResolveCopyOptions(to_json, "/tmp/x", false); },
              sqlstate::kFeatureNotSupported,
              "COPY TO does not write JSON files; use FORMAT csv or FORMAT parquet");
  CopyOptions json_header;
  ApplyCopyOption(json_header, "format", Value::Varchar("json"), 0);
  ApplyCopyOption(json_header, "header", Value::Boolean(true), 12);
  ExpectError([&] { ResolveCopyOptions(json_header, "/tmp/x", true); },
              sqlstate::kInvalidParameterValue, "COPY option \"header\" is not valid with FORMAT json");
  CopyOptions from_codec;
  ApplyCopyOption(from_codec, "compression", Value::Varchar("zstd"), 5);
  ExpectError([&] { ResolveCopyOptions(from_codec, "/tmp/x.parquet", true); },
              sqlstate::kInvalidParameterValue,
              "COPY option \"compression\" is only valid with COPY TO");
}

}  // namespace
}  // namespace basalt
