// How the shell writes a statement's result to standard output. Each format
// lives in its own file (table_printer.cc, csv_printer.cc, json_printer.cc);
// docs/shell.md shows what each looks like.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

#include "main/database.h"

namespace basalt {

enum class OutputFormat { kTable, kCsv, kJson };

// "table", "csv" or "json"; nothing for any other name.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
std::string_view OutputFormatName(OutputFormat format);

// Aligned columns under a header, then "(N rows)"; a command prints its tag.
void PrintTable(const QueryResult& result, std::ostream& out);
// A header line and RFC 4180 rows; NULL is an empty field, '' is "". Commands
// print nothing.
void PrintCsv(const QueryResult& result, std::ostream& out);
// One JSON array of objects, one row a line; commands print nothing.
void PrintJson(const QueryResult& result, std::ostream& out);

// Prints a successful result in `format`.
void PrintResult(const QueryResult& result, OutputFormat format, std::ostream& out);

}  // namespace basalt
