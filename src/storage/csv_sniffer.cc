#include "storage/csv_sniffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "common/date_time.h"
#include "common/string_parse.h"
#include "storage/csv_input_file.h"

namespace basalt {

namespace {

constexpr char kDelimiterCandidates[] = {',', '|', ';', '\t'};

struct SampleField {
  std::string text;  // unescaped
  bool quoted = false;
};
using SampleRecord = std::vector<SampleField>;

// Splits sample text into records. Unlike CsvReader this never fails: the
// sample may end inside a record (dropped unless the sample is the whole
// file), and a wrong delimiter guess must not abort the sniffing. Bytes after
// a closing quote are kept as data. Empty lines are skipped.
std::vector<SampleRecord> SplitRecords(std::string_view data, const CsvOptions& options,
                                       bool complete, size_t max_records) {
  const char delimiter = options.delimiter;
  const char quote = options.quote;
  const char escape = options.escape;
  std::vector<SampleRecord> records;
  size_t i = data.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const size_t n = data.size();
  while (i < n && records.size() < max_records) {
    SampleRecord record;
    bool ended = false;  // by a line feed, as opposed to the end of the data
    while (true) {
      SampleField field;
      if (i < n && data[i] == quote) {
        field.quoted = true;
        i++;
        while (i < n) {
          char c = data[i];
          if (c == escape && i + 1 < n && (data[i + 1] == quote || data[i + 1] == escape)) {
            field.text += data[i + 1];
            i += 2;
            continue;
          }
          if (c == quote) {
            i++;
            break;
          }
          field.text += c;
          i++;
        }
        while (i < n && data[i] != delimiter && data[i] != '\n') {
          if (data[i] != '\r') field.text += data[i];
          i++;
        }
      } else {
        size_t start = i;
        while (i < n && data[i] != delimiter && data[i] != '\n') i++;
        size_t stop = i;
        if (stop > start && data[stop - 1] == '\r') stop--;
        field.text.assign(data.substr(start, stop - start));
      }
      record.push_back(std::move(field));
      if (i < n && data[i] == delimiter) {
        i++;
        continue;
      }
      if (i < n) {
        i++;  // the line feed
        ended = true;
      }
      break;
    }
    if (!ended && !complete) break;  // cut by the end of the sample
    bool blank = record.size() == 1 && record[0].text.empty() && !record[0].quoted;
    if (!blank) records.push_back(std::move(record));
  }
  return records;
}

// The most common field count (the larger on a tie) and how many records have it.
std::pair<size_t, size_t> CommonFieldCount(const std::vector<SampleRecord>& records) {
  std::map<size_t, size_t> histogram;
  for (const auto& r : records) histogram[r.size()]++;
  size_t best = 0, best_records = 0;
  for (const auto& [count, records_with_it] : histogram) {
    if (records_with_it >= best_records) {
      best = count;
      best_records = records_with_it;
    }
  }
  return {best, best_records};
}

// Candidate types, narrowest first; a column takes the first that every value fits.
enum TypeBit : uint32_t {
  kBooleanBit = 1,
  kBigintBit = 2,
  kDoubleBit = 4,
  kDateBit = 8,
  kTimestampBit = 16,
  kAllBits = 31,
};

bool IsBooleanWord(std::string_view s) {
  auto equals = [&](std::string_view word) {
    return s.size() == word.size() &&
           std::equal(s.begin(), s.end(), word.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  };
  return equals("true") || equals("false");
}

// Which of the `candidates` this text is a valid value of.
uint32_t FittingTypes(std::string_view text, uint32_t candidates) {
  uint32_t fits = 0;
  if ((candidates & kBooleanBit) && IsBooleanWord(text)) fits |= kBooleanBit;
  int64_t i;
  if ((candidates & kBigintBit) && ParseInteger(text, INT64_MIN, INT64_MAX, &i)) {
    fits |= kBigintBit;
  }
  double d;
  if ((candidates & kDoubleBit) && ParseDouble(text, &d)) fits |= kDoubleBit;
  int32_t date;
  if ((candidates & kDateBit) && ParseDate(text, &date)) fits |= kDateBit;
  int64_t ts;
  if ((candidates & kTimestampBit) && ParseTimestamp(text, &ts)) fits |= kTimestampBit;
  return fits;
}

LogicalType NarrowestType(uint32_t bits) {
  if (bits & kBooleanBit) return TypeId::kBoolean;
  if (bits & kBigintBit) return TypeId::kBigint;
  if (bits & kDoubleBit) return TypeId::kDouble;
  if (bits & kDateBit) return TypeId::kDate;
  if (bits & kTimestampBit) return TypeId::kTimestamp;
  return TypeId::kVarchar;
}

uint32_t TypeBitOf(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return kBooleanBit;
    case TypeId::kBigint:
      return kBigintBit;
    case TypeId::kDouble:
      return kDoubleBit;
    case TypeId::kDate:
      return kDateBit;
    case TypeId::kTimestamp:
      return kTimestampBit;
    default:
      return 0;
  }
}

bool IsNull(const SampleField& field, const CsvOptions& options) {
  return !field.quoted && field.text == options.null_string;
}

// Column types from records [first, end) that have `columns` fields (or one
// more, the trailing empty one).
std::vector<LogicalType> DetectTypes(const std::vector<SampleRecord>& records, size_t first,
                                     size_t columns, size_t field_count,
                                     const CsvOptions& options) {
  std::vector<uint32_t> bits(columns, kAllBits);
  std::vector<bool> seen(columns, false);
  for (size_t r = first; r < records.size(); r++) {
    if (records[r].size() != field_count) continue;
    for (size_t c = 0; c < columns; c++) {
      const SampleField& field = records[r][c];
      if (IsNull(field, options) || bits[c] == 0) continue;
      seen[c] = true;
      bits[c] &= FittingTypes(field.text, bits[c]);
    }
  }
  std::vector<LogicalType> types;
  for (size_t c = 0; c < columns; c++) {
    types.push_back(seen[c] ? NarrowestType(bits[c]) : LogicalType(TypeId::kVarchar));
  }
  return types;
}

bool LooksLikeHeader(const SampleRecord& first, const std::vector<LogicalType>& body_types,
                     const CsvOptions& options) {
  bool mismatch = false;
  for (size_t c = 0; c < body_types.size(); c++) {
    // An empty header cell is common (pandas leaves the index unnamed), so a
    // NULL is no evidence either way.
    if (IsNull(first[c], options)) continue;
    uint32_t bit = TypeBitOf(body_types[c]);
    if (bit != 0 && (FittingTypes(first[c].text, bit) & bit) == 0) mismatch = true;
  }
  return mismatch;
}

std::vector<std::string> HeaderNames(const SampleRecord& header, size_t columns) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (size_t c = 0; c < columns; c++) {
    std::string base = header[c].text.empty() ? fmt::format("column{}", c) : header[c].text;
    std::string name = base;
    for (int suffix = 1; used.count(name) > 0; suffix++) name = fmt::format("{}_{}", base, suffix);
    used.insert(name);
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

CsvSchema SniffCsvSample(std::string_view sample, bool complete, const CsvOptions& user) {
  CsvSchema schema;
  schema.options = user;

  // Delimiter: the candidate that gives the most records one common count of
  // at least two fields; with none, the file has one column.
  std::vector<char> candidates;
  if (user.delimiter_set) {
    candidates.push_back(user.delimiter);
  } else {
    candidates.assign(std::begin(kDelimiterCandidates), std::end(kDelimiterCandidates));
  }
  std::vector<SampleRecord> records;
  size_t field_count = 0;
  double best_share = -1;
  for (char candidate : candidates) {
    CsvOptions trial = user;
    trial.delimiter = candidate;
    std::vector<SampleRecord> split = SplitRecords(sample, trial, complete, kSniffSampleRecords);
    auto [count, records_with_count] = CommonFieldCount(split);
    double share = split.empty() ? 0 : static_cast<double>(records_with_count) / split.size();
    bool better =
        count >= 2 && (share > best_share || (share == best_share && count > field_count));
    if (better || (user.delimiter_set && records.empty())) {
      schema.options.delimiter = candidate;
      records = std::move(split);
      field_count = count;
      best_share = share;
    }
  }
  if (best_share < 0 && !user.delimiter_set) {
    schema.options.delimiter = user.delimiter;
    records = SplitRecords(sample, user, complete, kSniffSampleRecords);
    field_count = CommonFieldCount(records).first;
  }
  if (records.empty()) {
    schema.names = {"column0"};
    schema.types = {TypeId::kVarchar};
    if (!user.header_set) schema.options.header = false;
    return schema;
  }

  // A delimiter ending every record (TPC-H .tbl) adds no column.
  size_t columns = field_count;
  if (field_count >= 2) {
    bool all_trailing = std::all_of(records.begin(), records.end(), [&](const SampleRecord& r) {
      return r.size() != field_count || (r.back().text.empty() && !r.back().quoted);
    });
    if (all_trailing) columns = field_count - 1;
  }

  // The first record of the common shape is the header candidate.
  size_t first = 0;
  while (first < records.size() && records[first].size() != field_count) first++;
  bool header;
  if (user.header_set) {
    header = user.header;
  } else {
    std::vector<LogicalType> body = DetectTypes(records, first + 1, columns, field_count, user);
    header = first + 1 < records.size() && LooksLikeHeader(records[first], body, user);
  }
  schema.options.header = header;
  // A user's header is the file's first record, whatever its shape.
  size_t header_record = user.header_set ? 0 : first;
  if (header && header_record < records.size() && records[header_record].size() >= columns) {
    schema.names = HeaderNames(records[header_record], columns);
  } else {
    for (size_t c = 0; c < columns; c++) schema.names.push_back(fmt::format("column{}", c));
  }
  schema.types = DetectTypes(records, header ? header_record + 1 : 0, columns, field_count, user);
  return schema;
}

CsvSchema SniffCsv(const std::string& path, const CsvOptions& user) {
  InputFile file(path);
  size_t wanted = static_cast<size_t>(std::min<uint64_t>(file.size(), kSniffSampleBytes));
  auto buffer = std::make_unique_for_overwrite<char[]>(wanted == 0 ? 1 : wanted);
  size_t got = file.ReadAt(buffer.get(), wanted, 0);
  bool complete = got >= file.size();
  return SniffCsvSample(std::string_view(buffer.get(), got), complete, user);
}

}  // namespace basalt
