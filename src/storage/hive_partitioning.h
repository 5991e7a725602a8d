// Hive-style partition directories: "data/year=2024/month=03/part0.parquet"
// stores the rows whose year is 2024 and month 3, so those values live in
// the path rather than in the file.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace basalt {

// The key=value pairs of `path`'s directory components, outermost first.
// The file name itself is not a partition even when it contains '='. A key
// that repeats keeps its innermost value. Thread-safe: no shared state.
std::vector<std::pair<std::string, std::string>> ParseHivePartitions(const std::string& path);

// The spelling Hive and Spark use for a NULL partition value.
inline constexpr const char* kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

}  // namespace basalt
