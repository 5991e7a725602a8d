#include "storage/copy_options.h"

#include <cctype>

#include "common/exception.h"
#include "common/string_parse.h"

namespace basalt {

namespace {

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string TextArgument(const std::string& name, const Value& value) {
  if (value.IsNull()) {
    ThrowError(sqlstate::kInvalidParameterValue, "option \"{}\" requires a value", name);
  }
  return value.type().id() == TypeId::kVarchar ? value.GetString() : value.ToString();
}

parquet::CompressionCodec ParseCompression(const Value& value) {
  using parquet::CompressionCodec;
  const std::string text = TextArgument("compression", value);
  const std::string codec = Lowercase(text);
  if (codec == "uncompressed" || codec == "none") return CompressionCodec::kUncompressed;
  if (codec == "snappy") return CompressionCodec::kSnappy;
  if (codec == "gzip") return CompressionCodec::kGzip;
  if (codec == "zstd") return CompressionCodec::kZstd;
  // Plain LZ4 in Parquet is the Hadoop-framed codec that readers disagree
  // on; LZ4_RAW is what "lz4" means to DuckDB and Arrow too.
  if (codec == "lz4" || codec == "lz4_raw") return CompressionCodec::kLz4Raw;
  ThrowError(sqlstate::kInvalidParameterValue,
             "COMPRESSION \"{}\" not recognized: expected uncompressed, snappy, gzip, zstd or lz4",
             text);
}

int64_t ParseRowGroupSize(const Value& value) {
  const std::string text = TextArgument("row_group_size", value);
  int64_t n = 0;
  bool digits = !text.empty() && text.size() <= 18;
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) n = std::stoll(text);
  if (!digits || n <= 0) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "ROW_GROUP_SIZE must be a positive integer, not \"{}\"", text);
  }
  return n;
}

int64_t ParsePageSize(const Value& value) {
  const std::string text = TextArgument("page_size", value);
  int64_t n = 0;
  bool digits = !text.empty() && text.size() <= 10;
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) n = std::stoll(text);
  if (!digits || n <= 0 || n > (int64_t{1} << 30)) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "PAGE_SIZE must be a positive number of bytes up to 1073741824, not \"{}\"", text);
  }
  return n;
}

void MarkSet(bool* flag) {
  if (*flag) ThrowError(sqlstate::kSyntaxError, "conflicting or redundant options");
  *flag = true;
}

bool EndsWithParquet(const std::string& path) {
  constexpr std::string_view kExtension = ".parquet";
  return path.size() >= kExtension.size() &&
         Lowercase(path.substr(path.size() - kExtension.size())) == kExtension;
}

bool EndsWithJson(const std::string& path) {
  const std::string lower = Lowercase(path);
  return lower.ends_with(".json") || lower.ends_with(".jsonl") || lower.ends_with(".ndjson");
}

}  // namespace

void ApplyCopyOption(CopyOptions& options, std::string name, const Value& value, int32_t position) {
  name = Lowercase(std::move(name));
  if (name == "format") {
    const std::string format = value.IsNull() ? "" : Lowercase(TextArgument(name, value));
    if (format == "parquet" || format == "json") {
      MarkSet(&options.csv.format_set);
      options.format = format == "json" ? CopyFormat::kJson : CopyFormat::kParquet;
      return;
    }
    ApplyCsvOption(options.csv, name, value);  // csv, or the error for anything else
    return;
  }
  if (name == "compression" || name == "codec") {
    MarkSet(&options.compression_set);
    options.parquet.codec = ParseCompression(value);
  } else if (name == "row_group_size") {
    MarkSet(&options.row_group_size_set);
    options.parquet.row_group_size = ParseRowGroupSize(value);
  } else if (name == "page_size") {
    MarkSet(&options.page_size_set);
    options.parquet.page_size = ParsePageSize(value);
  } else {
    ApplyCsvOption(options.csv, name, value);
    if (options.csv_option_position < 0) {
      options.csv_option_position = position;
      options.csv_option_name = name;
    }
    return;
  }
  if (options.parquet_option_position < 0) {
    options.parquet_option_position = position;
    options.parquet_option_name = name;
  }
}

void ResolveCopyOptions(CopyOptions& options, const std::string& path, bool is_from) {
  if (!options.csv.format_set && EndsWithParquet(path)) options.format = CopyFormat::kParquet;
  if (!options.csv.format_set && is_from && EndsWithJson(path)) options.format = CopyFormat::kJson;
  if (options.format == CopyFormat::kJson) {
    if (!is_from) {
      ThrowError(sqlstate::kFeatureNotSupported,
                 "COPY TO does not write JSON files; use FORMAT csv or FORMAT parquet");
    }
    if (options.csv_option_position >= 0 || options.parquet_option_position >= 0) {
      const bool csv = options.csv_option_position >= 0;
      ThrowErrorAt(sqlstate::kInvalidParameterValue,
                   csv ? options.csv_option_position : options.parquet_option_position,
                   "COPY option \"{}\" is not valid with FORMAT json",
                   csv ? options.csv_option_name : options.parquet_option_name);
    }
    return;
  }
  if (options.format == CopyFormat::kParquet) {
    if (options.csv_option_position >= 0) {
      ThrowErrorAt(sqlstate::kInvalidParameterValue, options.csv_option_position,
                   "COPY option \"{}\" is only valid with FORMAT csv, not FORMAT parquet",
                   options.csv_option_name);
    }
    if (is_from && options.parquet_option_position >= 0) {
      ThrowErrorAt(sqlstate::kInvalidParameterValue, options.parquet_option_position,
                   "COPY option \"{}\" is only valid with COPY TO", options.parquet_option_name);
    }
    return;
  }
  if (options.parquet_option_position >= 0) {
    ThrowErrorAt(sqlstate::kInvalidParameterValue, options.parquet_option_position,
                 "COPY option \"{}\" is only valid with FORMAT parquet",
                 options.parquet_option_name);
  }
  ValidateCsvOptions(options.csv);
}

}  // namespace basalt
