// Reads a CSV file straight into typed column vectors.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/data_chunk.h"
#include "common/types.h"
#include "storage/csv_field_parse.h"
#include "storage/csv_input_file.h"
#include "storage/csv_options.h"

namespace basalt {

// CsvReader turns the rows of one CSV file (or of one byte range of it) into
// DataChunks of the given column types.
//
// Format: fields are separated by options.delimiter and records end at LF or
// CRLF; a final record may lack its line end. A field that starts with the
// quote character is quoted: it may hold delimiters, line ends and doubled
// quotes (or escape + quote), and it ends at the matching quote, which must be
// followed by a delimiter or a line end. A quote anywhere else is data. An
// unquoted field equal to options.null_string is NULL; quoted fields never
// are. A UTF-8 byte order mark at the start of the file is skipped, and with
// options.header the first record is skipped. Values are not trimmed, but the
// numeric, boolean and date/time parsers ignore surrounding blanks, as
// PostgreSQL does.
//
// Every record must have exactly one field per column. One extra field is
// accepted when it is empty and unquoted, because TPC-H's dbgen ends every
// line of a .tbl file with the delimiter. An empty line is skipped when there
// are several columns; with one column it is a row whose field is empty (NULL
// under the default null_string), as in PostgreSQL.
//
// Errors are BasaltErrors naming the file, the line (the physical line on
// which the record starts, counted from the start of the file even for a
// range) and, for a bad value, the column:
//   22P04 missing data for column "x" / extra data after last expected column /
//         unterminated CSV quoted field / unexpected character after closing quote
//   22P02 invalid input syntax for type integer: "abc" (numbers, booleans)
//   22007 invalid input syntax for type date: "x" (date, timestamp, interval,
//         matching what a cast of the same text raises)
//   22003 value "x" is out of range for type integer / numeric field overflow
//   58P01 the file does not exist; 58030 any other failure to open or read it.
//
// Ranges: a reader built with [start, end) returns exactly the records that
// begin at a byte offset in that range, where a record begins at offset 0 or
// right after a line feed; the last one may run past `end`. Reading a file as
// consecutive ranges therefore yields every record exactly once, so large files
// can be split across threads. The split assumes no quoted field contains a
// line feed, since a reader that starts mid-file cannot tell a line feed inside
// quotes from one between records; callers split only such files (or read the
// file as one range). Files with quoted line feeds are split by exact record
// starts instead (storage/csv_split.h, CsvRangeBounds::kExactRecords): then
// range_start is a record start found from the parity of the quotes before
// it, and the reader checks that its last record ends exactly at range_end,
// the next range's first record (XX000 if not, which the split's checks
// should make impossible).
//
// Performance: the file is read with large pread calls into one reusable
// buffer (records are never copied except when one spans two reads); a state
// machine over the bytes records each field's position for a whole batch and
// the batch is then converted column by column into the output vectors. Only
// strings longer than StringRef's inline size are copied, into the vector's
// arena; nothing is allocated per row.
//
// Not thread-safe: one reader belongs to one thread at a time (use one reader
// per range to read in parallel).
// How a CsvReader's range bounds are meant (see "Ranges" below).
enum class CsvRangeBounds {
  // Records beginning in [start, end), a record beginning at 0 or after any
  // line feed: for files without quoted line feeds.
  kLineStarts,
  // start and end are themselves record starts (or the file's size).
  kExactRecords,
};

class CsvReader {
 public:
  static constexpr uint64_t kToEnd = std::numeric_limits<uint64_t>::max();
  static constexpr size_t kDefaultBlockSize = size_t{4} << 20;

  // Opens the file (throwing 58P01 / 58030 when that fails) and checks the
  // options with ValidateCsvOptions (22023). `names` label the columns in
  // error messages; missing names read as column0, column1, ... The reader
  // returns the records that begin in [range_start, range_end) (the first
  // record counts as beginning at 0 even behind a byte order mark).
  CsvReader(std::string path, CsvOptions options, std::vector<LogicalType> types,
            std::vector<std::string> names = {}, uint64_t range_start = 0,
            uint64_t range_end = kToEnd, CsvRangeBounds bounds = CsvRangeBounds::kLineStarts);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Fills `out` with up to out.capacity() rows and returns true, or returns
  // false (with out.size() == 0) once the range is exhausted. `out` must be
  // initialized with this reader's types; it is Reset() first, so every call
  // writes fresh buffers and chunks returned earlier stay valid wherever they
  // were handed on. A chunk is full unless the range ends.
  bool ReadChunk(DataChunk& out);

  const std::string& path() const { return file_.path(); }
  // The file's size when it was opened.
  uint64_t file_size() const { return file_.size(); }
  // Rows returned so far.
  uint64_t rows_read() const { return rows_read_; }
  // Bytes per read call; also the initial buffer size (it grows to hold a
  // longer record). For tuning and for tests that put reads mid-record. Set it
  // before the first ReadChunk.
  void set_block_size(size_t bytes) { block_size_ = bytes == 0 ? 1 : bytes; }

  // The size of the file at `path`, for planning ranges (58P01 / 58030).
  static uint64_t FileSize(const std::string& path);

 private:
  // Where one field's bytes lie in buffer_. For a quoted field this excludes
  // the quotes; `escaped` says that doubled quotes or escapes remain inside.
  struct FieldSpan {
    uint32_t offset;
    uint32_t length;
    bool quoted;
    bool escaped;
  };

  void Start();
  void Refill();
  // With exact bounds: checks that the range ended where the next begins.
  void CheckRangeEnd(uint64_t stop);
  // Tokenizes the record at pos_ into `spans` (at most ncols_ + 1 kept).
  // Returns false when the buffered bytes end before the record does and more
  // input may follow; otherwise sets *next past the record's line end.
  bool ParseRecord(FieldSpan* spans, size_t* next, uint32_t* field_count);
  // Converts the tokenized rows [from, to) of the current batch into `out`.
  void ConvertRows(DataChunk& out, idx_t from, idx_t to);
  template <typename T, typename Parse>
  void ConvertColumn(Vector& vector, idx_t column, idx_t from, idx_t to, Parse&& parse);
  std::string_view FieldText(const FieldSpan& span);

  // Physical line (1-based) on which the byte at `offset` lies; rescans the file,
  // so only error paths call it.
  uint64_t LineAt(uint64_t offset);
  std::string ColumnName(idx_t column) const;
  [[noreturn]] void ThrowAtRecord(const char* code, uint64_t offset, std::string_view what);
  [[noreturn]] void ThrowValueError(FieldParse status, idx_t row, idx_t column,
                                    std::string_view text);

  InputFile file_;
  CsvOptions options_;
  std::vector<LogicalType> types_;
  std::vector<std::string> names_;
  idx_t column_count_;
  uint64_t range_start_;
  uint64_t range_end_;
  CsvRangeBounds bounds_;

  size_t block_size_ = kDefaultBlockSize;

  // buffer_[0, size_) holds the file bytes from buffer_offset_; parsing is at pos_.
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  size_t pos_ = 0;
  uint64_t buffer_offset_ = 0;
  uint64_t read_offset_ = 0;  // == buffer_offset_ + size_
  uint64_t bom_size_ = 0;     // 3 when the file starts with a UTF-8 byte order mark
  bool eof_ = false;
  bool started_ = false;
  bool done_ = false;
  uint64_t rows_read_ = 0;

  // The current batch: ncols_ + 1 spans per row and each row's file offset.
  std::vector<FieldSpan> spans_;
  std::vector<uint64_t> row_offsets_;
  // Unescaped text of the field being converted.
  std::string scratch_;
};

}  // namespace basalt
