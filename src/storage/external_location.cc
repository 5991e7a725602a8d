#include "storage/external_location.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "common/exception.h"
#include "storage/file_glob.h"

namespace basalt {

namespace {

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsHidden(const std::string& name) {
  return !name.empty() && (name[0] == '.' || name[0] == '_');
}

}  // namespace

bool HasFormatExtension(const std::string& path, const std::string& format) {
  static const std::vector<std::string> kParquet = {".parquet"};
  static const std::vector<std::string> kCsv = {".csv", ".tsv", ".txt", ".tbl", ".csv.gz"};
  static const std::vector<std::string> kJson = {".json", ".jsonl", ".ndjson"};
  const std::vector<std::string>& extensions =
      format == "parquet" ? kParquet : format == "csv" ? kCsv : kJson;
  const std::string lower = Lowercase(path);
  return std::any_of(extensions.begin(), extensions.end(),
                     [&](const std::string& e) { return lower.ends_with(e); });
}

std::vector<std::string> ListExternalFiles(const std::string& location, const std::string& format) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!HasGlobCharacters(location) && fs::is_directory(location, ec)) {
    std::vector<std::string> files;
    fs::recursive_directory_iterator it(location, fs::directory_options::none, ec);
    if (ec) {
      ThrowError(sqlstate::kIoError, "could not read directory \"{}\": {}", location, ec.message());
    }
    // The entry the walk stood on before each step: a step that fails is
    // most often the descent into it (an unreadable subdirectory).
    std::string last = location;
    const fs::recursive_directory_iterator end;
    while (it != end) {
      const fs::directory_entry& entry = *it;
      last = entry.path().string();
      const std::string name = entry.path().filename().string();
      // Errors of the entry's own type checks (a dangling link, say) are
      // the entry's, kept apart from the walk's `ec`.
      std::error_code entry_ec;
      if (IsHidden(name)) {
        if (entry.is_directory(entry_ec)) it.disable_recursion_pending();
      } else if (entry.is_regular_file(entry_ec) && HasFormatExtension(name, format)) {
        // is_regular_file follows a link to a file; links to directories
        // are not descended (directory_options::none).
        files.push_back(entry.path().string());
      }
      // A failed step leaves `it` at the end, so the error is checked here,
      // before the loop's test: otherwise the walk would just stop and the
      // table would silently miss the files it had not reached.
      it.increment(ec);
      if (ec) {
        ThrowError(sqlstate::kIoError,
                   "could not read directory \"{}\" (walking past \"{}\"): {}", location, last,
                   ec.message());
      }
    }
    std::sort(files.begin(), files.end());
    return files;
  }
  return ExpandGlob(location);
}

}  // namespace basalt
