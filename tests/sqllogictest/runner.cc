// basalt_sqllogictest FILE_OR_DIRECTORY...
//
// Runs sqllogictest files (the format is described in test_file.h) against
// the embedded engine, each file on a fresh Database so files cannot depend
// on one another: in memory, or with --managed on a fresh data directory
// (managed tables in segments; `restart` reopens it, and `require managed`
// skips the rest of a file elsewhere). A failing record is reported and the file goes on;
// the closing line `N passed, M failed` is what CI tools read, and the exit
// status is non-zero when any record failed.
//
// Paths in test files (COPY, read_csv) are relative to the repository root,
// so run this from there (ctest does). `__TEST_DIR__` in a record stands for
// a fresh temporary directory for its file, removed afterwards.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "main/database.h"
#include "result_compare.h"
#include "test_file.h"

namespace basalt::sqllogictest {

namespace {

// The name `skipif` / `onlyif` lines use for this engine.
constexpr std::string_view kEngineName = "basalt";

// `require` names the runner knows the engine to have. None yet: DuckDB's
// extension names (parquet, icu, ...) skip the rest of their file.
const std::vector<std::string> kSupportedFeatures = {};

struct Totals {
  int64_t passed = 0;
  int64_t failed = 0;
  int64_t skipped = 0;
};

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Indent(std::string_view text) {
  std::string out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

// A directory that lives as long as the file's run: tests that write files
// (COPY TO) get a clean place that is gone afterwards.
class TempDirectory {
 public:
  TempDirectory() {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "basalt_sqllogictest_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDirectory() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One active `loop` or `foreach`.
struct LoopFrame {
  std::string variable;
  std::vector<std::string> values;
  size_t index = 0;
  size_t body_start = 0;  // the record after the loop line
};

// Runs one file's records on its own database. Not thread-safe; one per file.
class FileRunner {
 public:
  FileRunner(std::string path, bool verbose, bool managed)
      : path_(std::move(path)), verbose_(verbose), managed_(managed) {}

  Totals Run();

 private:
  bool ConditionsAllowRun(const Record& record) const;
  std::string Substitute(const std::string& text) const;
  void RunStatement(const Record& record, Connection& connection);
  void RunQuery(const Record& record, Connection& connection);
  QueryResult Execute(Connection& connection, const std::string& sql);
  // Prints a failure report and counts it.
  void Fail(const Record& record, const std::string& sql, const std::string& what,
            const std::vector<std::string>* expected = nullptr,
            const std::vector<std::string>* actual = nullptr);
  void FailFile(const std::string& what);
  // Index of the endloop matching each loop / foreach record.
  std::vector<size_t> MatchLoops(const std::vector<Record>& records);

  std::string path_;
  bool verbose_ = false;
  bool managed_ = false;
  Totals totals_;
  std::unique_ptr<TempDirectory> temp_dir_;
  std::vector<LoopFrame> loops_;
};

std::string ErrorText(const QueryResult& result) {
  return result.error_code + ": " + result.error_message;
}

Totals FileRunner::Run() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    FailFile("cannot open the file");
    return totals_;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<Record> records = ParseTestFile(buffer.str());
  std::vector<size_t> loop_ends = MatchLoops(records);

  temp_dir_ = std::make_unique<TempDirectory>();
  std::unique_ptr<Database> database;
  std::unique_ptr<Connection> connection;
  DatabaseOptions options;
  // Small segments, so that every test over a few thousand rows reads
  // several of them.
  if (managed_) {
    options.data_dir = temp_dir_->path() + "/basalt-data";
    options.max_segment_rows = 1000;
  }
  auto open = [&]() {
    connection.reset();
    database.reset();
    try {
      database = std::make_unique<Database>(options);
      connection = std::make_unique<Connection>(*database);
      return true;
    } catch (const std::exception& e) {
      FailFile(std::string("cannot open the database: ") + e.what());
      return false;
    }
  };
  if (!open()) return totals_;

  bool skip_mode = false;
  size_t pc = 0;
  auto count_rest_as_skipped = [&](size_t from) {
    for (size_t k = from; k < records.size(); ++k) {
      RecordKind kind = records[k].kind;
      if (kind == RecordKind::kStatementOk || kind == RecordKind::kStatementError ||
          kind == RecordKind::kQuery) {
        ++totals_.skipped;
      }
    }
  };

  while (pc < records.size()) {
    const Record& record = records[pc];
    switch (record.kind) {
      case RecordKind::kLoop:
      case RecordKind::kForeach: {
        LoopFrame frame;
        frame.variable = record.loop_variable;
        frame.body_start = pc + 1;
        if (record.kind == RecordKind::kLoop) {
          for (int64_t v = record.loop_start; v < record.loop_end; ++v) {
            frame.values.push_back(std::to_string(v));
          }
        } else {
          frame.values = record.foreach_values;
        }
        if (frame.values.empty()) {
          pc = loop_ends[pc] + 1;  // an empty loop runs its body zero times
        } else {
          loops_.push_back(std::move(frame));
          ++pc;
        }
        continue;
      }
      case RecordKind::kEndLoop: {
        if (loops_.empty()) {
          Fail(record, "", "`endloop` without a matching `loop`");
          ++pc;
          continue;
        }
        LoopFrame& frame = loops_.back();
        if (++frame.index < frame.values.size()) {
          pc = frame.body_start;
        } else {
          loops_.pop_back();
          ++pc;
        }
        continue;
      }
      case RecordKind::kModeSkip:
        skip_mode = true;
        ++pc;
        continue;
      case RecordKind::kModeUnskip:
        skip_mode = false;
        ++pc;
        continue;
      default:
        break;
    }

    if (skip_mode || !ConditionsAllowRun(record)) {
      if (record.kind != RecordKind::kHalt && record.kind != RecordKind::kRequire &&
          record.kind != RecordKind::kRequireEnv && record.kind != RecordKind::kRestart) {
        ++totals_.skipped;
      }
      ++pc;
      continue;
    }
    if (verbose_) std::cout << path_ << ":" << record.line << std::endl;

    switch (record.kind) {
      case RecordKind::kHalt:
        count_rest_as_skipped(pc + 1);
        return totals_;
      case RecordKind::kRestart:
        if (!open()) return totals_;
        break;
      case RecordKind::kRequire:
        if ((record.argument == "managed" && !managed_) ||
            (record.argument != "managed" &&
             std::find(kSupportedFeatures.begin(), kSupportedFeatures.end(), record.argument) ==
                 kSupportedFeatures.end())) {
          std::cout << "skip " << path_ << ":" << record.line << ": requires `" << record.argument
                    << "`" << std::endl;
          count_rest_as_skipped(pc + 1);
          return totals_;
        }
        break;
      case RecordKind::kRequireEnv:
        if (std::getenv(record.argument.c_str()) == nullptr) {
          std::cout << "skip " << path_ << ":" << record.line << ": environment variable `"
                    << record.argument << "` is not set" << std::endl;
          count_rest_as_skipped(pc + 1);
          return totals_;
        }
        break;
      case RecordKind::kStatementOk:
      case RecordKind::kStatementError:
        RunStatement(record, *connection);
        break;
      case RecordKind::kQuery:
        RunQuery(record, *connection);
        break;
      case RecordKind::kInvalid:
        Fail(record, "", "cannot parse this record: " + record.argument);
        break;
      default:
        break;
    }
    ++pc;
  }
  if (!loops_.empty()) {
    FailFile("the file ends inside a `loop` or `foreach`");
  }
  return totals_;
}

std::vector<size_t> FileRunner::MatchLoops(const std::vector<Record>& records) {
  std::vector<size_t> ends(records.size(), records.size());
  std::vector<size_t> open;
  for (size_t k = 0; k < records.size(); ++k) {
    if (records[k].kind == RecordKind::kLoop || records[k].kind == RecordKind::kForeach) {
      open.push_back(k);
    } else if (records[k].kind == RecordKind::kEndLoop && !open.empty()) {
      ends[open.back()] = k;
      open.pop_back();
    }
  }
  return ends;
}

bool FileRunner::ConditionsAllowRun(const Record& record) const {
  for (const std::string& engine : record.skip_if) {
    if (EqualsIgnoreCase(engine, kEngineName)) return false;
  }
  if (record.only_if.empty()) return true;
  for (const std::string& engine : record.only_if) {
    if (EqualsIgnoreCase(engine, kEngineName)) return true;
  }
  return false;
}

std::string FileRunner::Substitute(const std::string& text) const {
  std::string out = text;
  // Innermost first, so an inner loop's variable shadows an outer one of the same name.
  for (auto it = loops_.rbegin(); it != loops_.rend(); ++it) {
    out = ReplaceAll(std::move(out), "${" + it->variable + "}", it->values[it->index]);
  }
  if (temp_dir_ && !temp_dir_->path().empty()) {
    out = ReplaceAll(std::move(out), "__TEST_DIR__", temp_dir_->path());
  }
  return out;
}

QueryResult FileRunner::Execute(Connection& connection, const std::string& sql) {
  try {
    return connection.Query(sql);
  } catch (const std::exception& e) {
    // Query() is meant to turn every error into a result; one that escapes is
    // an engine bug, reported as a failed statement rather than a dead run.
    QueryResult result;
    result.ok = false;
    result.error_code = "EXCEPTION";
    result.error_message = std::string("Connection::Query threw: ") + e.what();
    return result;
  }
}

void FileRunner::RunStatement(const Record& record, Connection& connection) {
  const std::string sql = Substitute(record.sql);
  QueryResult result = Execute(connection, sql);
  if (record.kind == RecordKind::kStatementOk) {
    if (!result.ok) {
      Fail(record, sql, "the statement failed: " + ErrorText(result));
      return;
    }
  } else {
    if (result.ok) {
      Fail(record, sql, "the statement succeeded but an error was expected" +
                            (record.expected_error.empty()
                                 ? std::string()
                                 : " (" + Substitute(record.expected_error) + ")"));
      return;
    }
    if (result.error_code == "EXCEPTION") {
      Fail(record, sql, result.error_message);
      return;
    }
    const std::string expected = Substitute(record.expected_error);
    if (!expected.empty() && ErrorText(result).find(expected) == std::string::npos) {
      Fail(record, sql,
           "the statement failed as expected but with another error:\n  expected to contain: " +
               expected + "\n  actual: " + ErrorText(result));
      return;
    }
  }
  ++totals_.passed;
}

void FileRunner::RunQuery(const Record& record, Connection& connection) {
  const std::string sql = Substitute(record.sql);
  std::vector<std::string> expected_lines;
  for (const std::string& line : record.expected_lines) expected_lines.push_back(Substitute(line));

  QueryResult result = Execute(connection, sql);
  if (!result.ok) {
    Fail(record, sql, "the query failed: " + ErrorText(result), &expected_lines);
    return;
  }

  size_t columns = result.column_names.size();
  if (columns == 0 && !result.chunks.empty()) columns = result.chunks[0].ColumnCount();
  std::vector<Row> rows;
  for (const DataChunk& chunk : result.chunks) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      Row row;
      row.reserve(chunk.ColumnCount());
      for (idx_t c = 0; c < chunk.ColumnCount(); ++c) row.push_back(RenderValue(chunk.GetValue(c, r)));
      rows.push_back(std::move(row));
    }
  }

  Comparison comparison = CompareResult(record.column_types, record.sort_mode, std::move(rows),
                                        expected_lines);
  if (columns != record.column_types.size()) {
    Fail(record, sql,
         "the query declares " + std::to_string(record.column_types.size()) +
             " columns (`" + record.column_types + "`) but the result has " +
             std::to_string(columns),
         &expected_lines, &comparison.actual_lines);
    return;
  }
  if (!comparison.ok) {
    Fail(record, sql, comparison.message, &expected_lines, &comparison.actual_lines);
    return;
  }
  ++totals_.passed;
}

void FileRunner::Fail(const Record& record, const std::string& sql, const std::string& what,
                      const std::vector<std::string>* expected,
                      const std::vector<std::string>* actual) {
  ++totals_.failed;
  std::ostringstream out;
  out << "================================================================\n";
  out << "FAIL " << path_ << ":" << record.line;
  if (!loops_.empty()) {
    out << " (";
    for (size_t k = 0; k < loops_.size(); ++k) {
      if (k > 0) out << ", ";
      out << loops_[k].variable << "=" << loops_[k].values[loops_[k].index];
    }
    out << ")";
  }
  out << "\n" << what << "\n";
  if (!sql.empty()) out << "SQL:\n" << Indent(sql) << "\n";
  auto print_lines = [&](const char* title, const std::vector<std::string>& lines) {
    out << title << " (" << lines.size() << " lines):\n";
    for (const std::string& line : lines) out << "    " << line << "\n";
  };
  if (expected != nullptr) print_lines("Expected", *expected);
  if (actual != nullptr) print_lines("Actual", *actual);
  std::cout << out.str() << std::flush;
}

void FileRunner::FailFile(const std::string& what) {
  ++totals_.failed;
  std::cout << "================================================================\n"
            << "FAIL " << path_ << ": " << what << std::endl;
}

// Expands directories into the .test files below them, in a stable order.
bool CollectFiles(const std::vector<std::string>& arguments, std::vector<std::string>* files) {
  bool ok = true;
  for (const std::string& argument : arguments) {
    std::error_code ec;
    if (std::filesystem::is_directory(argument, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(argument, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".test") {
          found.push_back(entry.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files->insert(files->end(), found.begin(), found.end());
    } else if (std::filesystem::exists(argument, ec)) {
      files->push_back(argument);
    } else {
      std::cerr << "basalt_sqllogictest: no such file or directory: " << argument << "\n";
      ok = false;
    }
  }
  return ok;
}

void PrintUsage() {
  std::cerr << "usage: basalt_sqllogictest [--verbose] [--managed] FILE_OR_DIRECTORY...\n"
               "Runs sqllogictest files, each on a fresh in-memory database (--managed: on a\n"
               "fresh data directory, with managed tables).\n"
               "Run it from the repository root: test files name data files relative to it.\n";
}

int Main(int argc, char** argv) {
  bool verbose = false;
  bool managed = false;
  std::vector<std::string> arguments;
  for (int k = 1; k < argc; ++k) {
    std::string_view arg = argv[k];
    if (arg == "--verbose" || arg == "-v") {
      verbose = true;
    } else if (arg == "--managed") {
      managed = true;
    } else if (arg == "--help" || arg == "-h") {
      PrintUsage();
      return 0;
    } else {
      arguments.emplace_back(arg);
    }
  }
  if (arguments.empty()) {
    PrintUsage();
    return 2;
  }
  std::vector<std::string> files;
  bool all_found = CollectFiles(arguments, &files);

  Totals total;
  int64_t failed_files = all_found ? 0 : 1;
  if (!all_found) ++total.failed;
  for (const std::string& file : files) {
    FileRunner runner(file, verbose, managed);
    Totals t = runner.Run();
    total.passed += t.passed;
    total.failed += t.failed;
    total.skipped += t.skipped;
    if (t.failed > 0) {
      ++failed_files;
      std::cout << "FAIL " << file << " (" << t.failed << " of " << t.passed + t.failed
                << " records failed)" << std::endl;
    } else {
      std::cout << "ok   " << file << " (" << t.passed << " records";
      if (t.skipped > 0) std::cout << ", " << t.skipped << " skipped";
      std::cout << ")" << std::endl;
    }
  }
  std::cout << files.size() << " files, " << failed_files << " with failures, " << total.skipped
            << " records skipped" << std::endl;
  // The closing line CI tools parse: keep its shape exactly.
  std::cout << total.passed << " passed, " << total.failed << " failed" << std::endl;
  return total.failed == 0 ? 0 : 1;
}

}  // namespace

}  // namespace basalt::sqllogictest

int main(int argc, char** argv) { return basalt::sqllogictest::Main(argc, argv); }
