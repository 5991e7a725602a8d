// Segment format micro-benchmark: generates TPC-H lineitem, writes it as one
// segment per compression and reads it back, printing sizes (bytes per row
// against the .tbl text), per-column encodings and write / read throughput.
//
//   basalt_segment_bench [--sf 0.1] [--dir /tmp/basalt_segment_bench]
//
// MB/s are megabytes of .tbl text per second, so the figures compare with
// loading the text files.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/exception.h"
#include "storage/csv_reader.h"
#include "storage/segment/segment_reader.h"
#include "storage/segment/segment_writer.h"
#include "tpch/tpch_generator.h"

namespace {

using basalt::DataChunk;
using basalt::LogicalType;
using basalt::SegmentColumn;
using basalt::TypeId;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::vector<SegmentColumn> LineitemSchema() {
  const LogicalType money = LogicalType::Decimal(15, 2);
  return {{"l_orderkey", TypeId::kBigint},
          {"l_partkey", TypeId::kInteger},
          {"l_suppkey", TypeId::kInteger},
          {"l_linenumber", TypeId::kInteger},
          {"l_quantity", money},
          {"l_extendedprice", money},
          {"l_discount", money},
          {"l_tax", money},
          {"l_returnflag", TypeId::kVarchar},
          {"l_linestatus", TypeId::kVarchar},
          {"l_shipdate", TypeId::kDate},
          {"l_commitdate", TypeId::kDate},
          {"l_receiptdate", TypeId::kDate},
          {"l_shipinstruct", TypeId::kVarchar},
          {"l_shipmode", TypeId::kVarchar},
          {"l_comment", TypeId::kVarchar}};
}

int Run(double sf, const std::string& dir) {
  std::filesystem::create_directories(dir);
  basalt::TpchOptions tpch;
  tpch.scale_factor = sf;
  tpch.directory = dir;
  tpch.tables = {basalt::TpchTable::kLineitem};
  const auto generated = basalt::GenerateTpch(tpch);
  const std::string tbl = generated.at(0).path;
  const double tbl_bytes = static_cast<double>(std::filesystem::file_size(tbl));

  const auto schema = LineitemSchema();
  std::vector<LogicalType> types;
  std::vector<std::string> names;
  for (const auto& c : schema) {
    types.push_back(c.type);
    names.push_back(c.name);
  }
  basalt::CsvOptions csv;
  csv.delimiter = '|';
  basalt::CsvReader reader(tbl, csv, types, names);
  std::vector<DataChunk> chunks;
  uint64_t rows = 0;
  while (true) {
    DataChunk chunk(types);
    if (!reader.ReadChunk(chunk)) break;
    rows += chunk.size();
    chunks.push_back(std::move(chunk));
  }
  std::printf("lineitem SF %g: %llu rows, .tbl %.1f MB (%.1f bytes/row)\n", sf,
              static_cast<unsigned long long>(rows), tbl_bytes / 1e6, tbl_bytes / rows);

  for (basalt::SegmentCompression compression :
       {basalt::SegmentCompression::kNone, basalt::SegmentCompression::kLz4,
        basalt::SegmentCompression::kZstd}) {
    const std::string path =
        dir + "/lineitem." + basalt::SegmentCompressionName(compression) + ".seg";
    basalt::SegmentWriterOptions options;
    options.compression = compression;
    auto start = Clock::now();
    basalt::SegmentWriter writer(path, schema, options);
    for (const DataChunk& chunk : chunks) writer.Append(chunk);
    const uint64_t size = writer.Finish();
    const double write_s = Seconds(start);

    auto segment = basalt::SegmentReader::Open(path);
    std::vector<basalt::idx_t> all;
    for (basalt::idx_t c = 0; c < schema.size(); c++) all.push_back(c);
    start = Clock::now();
    DataChunk out;
    uint64_t read_rows = 0;
    for (basalt::idx_t b = 0; b < segment->block_count(); b++) {
      auto scan = segment->ScanBlock(b, all);
      while (scan.Next(&out)) read_rows += out.size();
    }
    const double read_s = Seconds(start);
    if (read_rows != rows) {
      std::fprintf(stderr, "read %llu rows of %llu\n", static_cast<unsigned long long>(read_rows),
                   static_cast<unsigned long long>(rows));
      return 1;
    }
    std::printf(
        "\n%-5s  %.2f MB = %.2f bytes/row (%.1f%% of .tbl)  write %.0f MB/s  read %.0f MB/s\n",
        basalt::SegmentCompressionName(compression), size / 1e6, static_cast<double>(size) / rows,
        100.0 * size / tbl_bytes, tbl_bytes / 1e6 / write_s, tbl_bytes / 1e6 / read_s);
    if (compression != basalt::SegmentCompression::kLz4) continue;
    std::printf("  %-16s %10s %10s  %s\n", "column", "bytes/row", "index B/row",
                "encodings of block 0");
    for (basalt::idx_t c = 0; c < schema.size(); c++) {
      const auto info = segment->GetColumnInfo(c);
      const auto block = segment->GetBlockInfo(c, 0);
      std::printf("  %-16s %10.3f %10.3f  %s%s%s\n", schema[c].name.c_str(),
                  static_cast<double>(info.block_bytes) / rows,
                  static_cast<double>(info.index_bytes) / rows, BlockEncodingName(block.encoding),
                  block.compression == basalt::SegmentCompression::kNone ? "" : "+",
                  block.compression == basalt::SegmentCompression::kNone
                      ? ""
                      : basalt::SegmentCompressionName(block.compression));
    }
    // A selective filter answered from the bitmap index.
    start = Clock::now();
    const auto mode = *segment->FindColumn("l_shipmode");
    const auto air = segment->LookupEqual(mode, "AIR");
    const double lookup_s = Seconds(start);
    // The same filter as a scan of the column.
    start = Clock::now();
    uint64_t matches = 0;
    const basalt::StringRef needle("AIR", 3);
    for (basalt::idx_t b = 0; b < segment->block_count(); b++) {
      auto scan = segment->ScanBlock(b, {mode});
      while (scan.Next(&out)) {
        const auto* values = out.column(0).Data<basalt::StringRef>();
        for (basalt::idx_t r = 0; r < out.size(); r++) matches += values[r] == needle;
      }
    }
    const double scan_s = Seconds(start);
    if (air) {
      std::printf(
          "  l_shipmode = 'AIR': %llu rows from the bitmap index in %.2f ms, "
          "%llu by scanning the column in %.2f ms\n",
          static_cast<unsigned long long>(air->Cardinality()), lookup_s * 1e3,
          static_cast<unsigned long long>(matches), scan_s * 1e3);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  double sf = 0.1;
  std::string dir = (std::filesystem::temp_directory_path() / "basalt_segment_bench").string();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--sf") {
      sf = std::atof(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: %s [--sf 0.1] [--dir DIR]\n", argv[0]);
      return 2;
    }
  }
  try {
    return Run(sf, dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
