#include "shell/result_printer.h"

namespace basalt {

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  return std::nullopt;
}

std::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable:
      return "table";
    case OutputFormat::kCsv:
      return "csv";
    case OutputFormat::kJson:
      return "json";
  }
  return "table";
}

void PrintResult(const QueryResult& result, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable:
      PrintTable(result, out);
      break;
    case OutputFormat::kCsv:
      PrintCsv(result, out);
      break;
    case OutputFormat::kJson:
      PrintJson(result, out);
      break;
  }
}

}  // namespace basalt
