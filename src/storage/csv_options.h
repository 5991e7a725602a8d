// How a CSV file is laid out: the options of COPY ... FROM ... WITH (FORMAT
// csv, ...) and read_csv(...), shared by the reader and the sniffer.
#pragma once

#include <string>

#include "common/value.h"

namespace basalt {

// Defaults are PostgreSQL's CSV format: comma, double quote, the quote doubled
// as escape, no header, and an unquoted empty field as NULL. A quoted empty
// field ("") is an empty string, never NULL.
//
// The *_set flags record what the user wrote, so the sniffer detects only the
// rest (an explicit HEADER false is different from no HEADER at all).
struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  // Inside a quoted field, `escape` followed by the quote or by itself stands
  // for that character; anywhere else it is ordinary data.
  char escape = '"';
  bool header = false;
  // An unquoted field equal to this text is NULL.
  std::string null_string;

  bool format_set = false;
  bool delimiter_set = false;
  bool quote_set = false;
  bool escape_set = false;
  bool header_set = false;
  bool null_set = false;
};

// Applies one user option, `name` in any case, as COPY and read_csv spell
// them: FORMAT 'csv', HEADER [bool], DELIMITER (also DELIM, SEP) 'c', NULL
// (also NULLSTR) 'text', QUOTE 'c', ESCAPE 'c', ENCODING 'utf8'. A NULL value
// stands for an option written without an argument, which for HEADER means
// true. QUOTE also moves ESCAPE along unless ESCAPE was given, as PostgreSQL.
//
// Raises 22023 for an unknown option (`option "x" not recognized`), an
// unsupported format or encoding, or a value of the wrong shape (a delimiter
// that is not one byte, a non-boolean HEADER), and 42601 `conflicting or
// redundant options` when an option is given twice.
void ApplyCsvOption(CsvOptions& options, std::string name, const Value& value);

// Checks that the options make sense together (delimiter differs from quote,
// the NULL text contains neither); call after the last ApplyCsvOption.
// Raises 22023.
void ValidateCsvOptions(const CsvOptions& options);

}  // namespace basalt
