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
  CopyOptions from;
  ExpectError([&] { ResolveCopyOptions(from, "/tmp/x.parquet", true); },
              sqlstate::kFeatureNotSupported,
              "COPY FROM does not read Parquet files; use INSERT INTO ... SELECT * FROM "
              "read_parquet('/tmp/x.parquet')");
}

}  // namespace
}  // namespace basalt
