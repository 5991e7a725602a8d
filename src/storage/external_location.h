// The files of an external table (CREATE EXTERNAL TABLE ... LOCATION '...'):
// a directory means every file below it with the format's extension, as
// `read_parquet('dir/**/*.parquet')` would find them; anything else is a
// file or a glob (file_glob.h).
#pragma once

#include <string>
#include <vector>

namespace basalt {

// The files of `location` for `format` ("parquet", "csv" or "json"), sorted
// by byte order. A directory is walked recursively: hidden entries (a
// leading '.' or '_', like Hive's _SUCCESS and .staging) are skipped and
// symbolic links to directories are not followed; a directory without such
// files gives an empty list; a directory below it that cannot be read raises
// 58030 (rather than giving some of the files). A file or glob is ExpandGlob(location), with
// its 58P01 when nothing matches. Thread-safe: no shared state.
std::vector<std::string> ListExternalFiles(const std::string& location, const std::string& format);

// Whether `path` has one of `format`'s extensions (any case): .parquet;
// .csv .tsv .txt .tbl .csv.gz; .json .jsonl .ndjson.
bool HasFormatExtension(const std::string& path, const std::string& format);

}  // namespace basalt
