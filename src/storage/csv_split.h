// Where a CSV or JSON-lines file may be cut into byte ranges that threads read
// independently (docs/storage.md, "Splitting large files").
//
// JSON lines: a record is one line, and a JSON string cannot hold a raw line
// feed, so every line feed ends a record: a range's first record starts right
// after the first line feed at or after its nominal start (FindLineStart).
//
// CSV with RFC 4180 quoting (the escape character is the quote itself): a
// line feed inside a quoted field is data, so the cut must know whether a
// byte lies inside quotes. That depends only on the parity of the quote
// characters before it, since a doubled quote inside a field changes the
// parity twice. ScanCsvQuotes counts a range's quotes (ranges are scanned in
// parallel; the prefix sums give each range's starting parity), and
// FindCsvRecordStart then finds the first line feed outside quotes.
//
// The parity rule holds only when every quote sits where the reader treats
// it as quoting: an opening quote at the start of a field, a closing one
// before a delimiter, a line end, another quote or the end of the file. A
// quote inside an unquoted field (`ab"c`) is data to the reader but would
// flip the parity, so ScanCsvQuotes also says whether its range's quotes all
// sit properly, for either starting parity; a file where one does not is read
// in one piece.
//
// All functions read through InputFile (thread-safe pread) and raise what it
// raises (58030).
#pragma once

#include <cstdint>

#include "storage/csv_input_file.h"

namespace basalt {

// The first offset at or after `offset` at which a line begins: `offset`
// itself when it is 0 or follows a line feed, else just past the next line
// feed, or the file's size when there is none.
uint64_t FindLineStart(const InputFile& file, uint64_t offset);

// The quotes of one range of a CSV file.
struct CsvQuoteScan {
  uint64_t quotes = 0;
  // Whether every quote of the range sits where the reader would treat it as
  // quoting, when the range starts outside quotes / inside a quoted field.
  bool proper_if_outside = true;
  bool proper_if_inside = true;

  bool Proper(bool starts_inside) const {
    return starts_inside ? proper_if_inside : proper_if_outside;
  }
};

// Counts the quote characters in [begin, end) of `file` (end is clipped to
// the file's size) and checks their places (see above).
CsvQuoteScan ScanCsvQuotes(const InputFile& file, uint64_t begin, uint64_t end, char delimiter,
                           char quote);

// The first record start at or after `offset`, given whether the byte at
// `offset` lies inside quotes (the parity of the quotes before it): `offset`
// when it is 0 or follows a line feed outside quotes, else just past the next
// line feed outside quotes, or the file's size when there is none.
uint64_t FindCsvRecordStart(const InputFile& file, uint64_t offset, bool inside_quotes,
                            char quote);

}  // namespace basalt
