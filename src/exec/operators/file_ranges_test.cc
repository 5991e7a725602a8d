#include "exec/operators/file_ranges.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/data_chunk.h"
#include "common/temp_dir_test_util.h"
#include "storage/csv_reader.h"
#include "storage/json/json_reader.h"

namespace basalt {
namespace {

using testing::TempDir;

std::shared_ptr<FileQueue> AllFiles(size_t count) {
  auto queue = std::make_shared<FileQueue>();
  for (size_t f = 0; f < count; f++) queue->files.push_back(f);
  return queue;
}

// Every CSV row the queue's units yield, read by `threads` threads at once,
// as "file:id"; sorted, since the order is the threads'.
std::vector<std::string> ReadCsvUnits(FileRangeQueue& queue, const std::vector<std::string>& paths,
                                      const CsvOptions& options, int threads, int* ranges) {
  const std::vector<LogicalType> types = {TypeId::kBigint, TypeId::kVarchar};
  std::mutex mutex;
  std::vector<std::string> rows;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; t++) {
    pool.emplace_back([&] {
      FileRange unit;
      while (queue.Take(threads, &unit)) {
        auto reader = unit.whole
                          ? std::make_unique<CsvReader>(paths[unit.file], options, types)
                          : std::make_unique<CsvReader>(paths[unit.file], options, types,
                                                        std::vector<std::string>{}, unit.start,
                                                        unit.end, CsvRangeBounds::kExactRecords);
        DataChunk chunk(types);
        std::vector<std::string> mine;
        while (reader->ReadChunk(chunk)) {
          for (idx_t r = 0; r < chunk.size(); r++) {
            mine.push_back(fmt::format("{}:{}|{}", unit.file, chunk.GetValue(0, r).ToString(),
                                       chunk.GetValue(1, r).ToString()));
          }
        }
        std::lock_guard<std::mutex> lock(mutex);
        if (!unit.whole) (*ranges)++;
        rows.insert(rows.end(), mine.begin(), mine.end());
      }
    });
  }
  for (auto& thread : pool) thread.join();
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(FileRangeQueueTest, CsvRangesFromManyThreadsCoverEveryRowOnce) {
  TempDir dir;
  std::vector<std::string> paths;
  std::vector<std::string> expected;
  for (int f = 0; f < 3; f++) {
    std::string content = "id,text\n";
    for (int i = 0; i < 400 * (f + 1); i++) {
      std::string text = i % 3 == 0 ? fmt::format("\"multi\nline \"\"{}\"\"\"", i)
                                    : fmt::format("plain{}", i);
      content += fmt::format("{},{}\n", i, text);
      std::string value = i % 3 == 0 ? fmt::format("multi\nline \"{}\"", i)
                                     : fmt::format("plain{}", i);
      expected.push_back(fmt::format("{}:{}|{}", f, i, value));
    }
    paths.push_back(dir.Write(fmt::format("f{}.csv", f), content));
  }
  std::sort(expected.begin(), expected.end());
  CsvOptions options;
  options.header = true;
  for (int64_t split : {int64_t{1}, int64_t{64}, int64_t{1000}, int64_t{0}}) {
    for (int threads : {1, 3}) {
      FileRangeQueue queue(AllFiles(paths.size()), &paths, SplitFormat::kCsv,
                           std::make_shared<CsvOptions>(options), split);
      int ranges = 0;
      EXPECT_EQ(ReadCsvUnits(queue, paths, options, threads, &ranges), expected)
          << "split " << split << " threads " << threads;
      if (split == 0) {
        EXPECT_EQ(ranges, 0);
      } else {
        EXPECT_GT(ranges, 3);
      }
    }
  }
  // Automatic: these files are far below the minimum range, so none is split.
  FileRangeQueue automatic(AllFiles(paths.size()), &paths, SplitFormat::kCsv,
                           std::make_shared<CsvOptions>(options), FileRangeQueue::kAutomatic);
  int ranges = 0;
  EXPECT_EQ(ReadCsvUnits(automatic, paths, options, 2, &ranges), expected);
  EXPECT_EQ(ranges, 0);
}

TEST(FileRangeQueueTest, BackslashEscapesAndJsonArraysAreNotSplit) {
  TempDir dir;
  std::vector<std::string> paths = {dir.Write("e.csv", std::string(500, 'a') + "\n"),
                                    dir.Write("a.json", " [" + std::string(500, ' ') + "]")};
  CsvOptions backslash;
  backslash.escape = '\\';
  FileRangeQueue csv(AllFiles(1), &paths, SplitFormat::kCsv,
                     std::make_shared<CsvOptions>(backslash), 16);
  FileRange unit;
  ASSERT_TRUE(csv.Take(2, &unit));
  EXPECT_TRUE(unit.whole);
  EXPECT_FALSE(csv.Take(2, &unit));
  std::vector<std::string> json_paths = {paths[1]};
  FileRangeQueue json(AllFiles(1), &json_paths, SplitFormat::kJsonLines, nullptr, 16);
  ASSERT_TRUE(json.Take(2, &unit));
  EXPECT_TRUE(unit.whole);
  EXPECT_FALSE(json.Take(2, &unit));
}

TEST(FileRangeQueueTest, JsonLineRanges) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 300; i++) content += fmt::format("{{\"a\": {}, \"s\": \"x{}\"}}\n", i, i);
  std::vector<std::string> paths = {dir.Write("l.jsonl", content)};
  FileRangeQueue queue(AllFiles(1), &paths, SplitFormat::kJsonLines, nullptr, 100);
  FileRange unit;
  std::vector<int64_t> seen;
  int ranges = 0;
  while (queue.Take(2, &unit)) {
    ASSERT_FALSE(unit.whole);
    ranges++;
    JsonReader reader(paths[0], unit.start, unit.end, {"a", "s"},
                      {LogicalType(TypeId::kBigint), LogicalType(TypeId::kVarchar)}, {0});
    DataChunk chunk;
    while (reader.ReadChunk(chunk)) {
      for (idx_t r = 0; r < chunk.size(); r++) seen.push_back(chunk.GetValue(0, r).GetInt64());
    }
  }
  EXPECT_GT(ranges, 50);
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), 300u);
  for (int i = 0; i < 300; i++) EXPECT_EQ(seen[i], i);
}

}  // namespace
}  // namespace basalt
