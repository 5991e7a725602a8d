#include "storage/json/json_schema.h"

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "common/date_time.h"
#include "common/exception.h"
#include "storage/json/json_records.h"

namespace basalt {

namespace {

// What a column's sampled values have been, as bits.
enum Seen : uint32_t {
  kSeenBool = 1,
  kSeenInteger = 2,
  kSeenDouble = 4,
  kSeenString = 8,
  kSeenNested = 16,
};

struct ColumnVotes {
  uint32_t seen = 0;
  // Whether every string so far reads as a DATE / a TIMESTAMP.
  bool all_dates = true;
  bool all_timestamps = true;
};

void Vote(ColumnVotes& votes, simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return;
    case simdjson::dom::element_type::BOOL:
      votes.seen |= kSeenBool;
      return;
    case simdjson::dom::element_type::INT64:
      votes.seen |= kSeenInteger;
      return;
    case simdjson::dom::element_type::UINT64:  // only when above INT64_MAX
    case simdjson::dom::element_type::DOUBLE:
      votes.seen |= kSeenDouble;
      return;
    case simdjson::dom::element_type::STRING: {
      votes.seen |= kSeenString;
      std::string_view text = value.get_string().value_unsafe();
      // A bare date does not count as a timestamp, so a mix of the two stays
      // VARCHAR (as DuckDB decides) rather than turning dates into midnights.
      int32_t date;
      int64_t ts;
      bool is_date = (votes.all_dates || votes.all_timestamps) && ParseDate(text, &date);
      votes.all_dates = votes.all_dates && is_date;
      votes.all_timestamps = votes.all_timestamps && !is_date && ParseTimestamp(text, &ts);
      return;
    }
    case simdjson::dom::element_type::ARRAY:
    case simdjson::dom::element_type::OBJECT:
      votes.seen |= kSeenNested;
      return;
  }
}

LogicalType Decide(const ColumnVotes& votes) {
  switch (votes.seen) {
    case kSeenBool:
      return LogicalType(TypeId::kBoolean);
    case kSeenInteger:
      return LogicalType(TypeId::kBigint);
    case kSeenDouble:
    case kSeenInteger | kSeenDouble:
      return LogicalType(TypeId::kDouble);
    case kSeenString:
      if (votes.all_dates) return LogicalType(TypeId::kDate);
      if (votes.all_timestamps) return LogicalType(TypeId::kTimestamp);
      return LogicalType(TypeId::kVarchar);
    default:
      return LogicalType(TypeId::kVarchar);
  }
}

}  // namespace

JsonSchema InferJsonSchema(const std::vector<std::string>& files) {
  std::vector<std::string> names;
  std::vector<ColumnVotes> votes;
  std::unordered_map<std::string, size_t> column_of;
  size_t records = 0;
  size_t bytes = 0;
  for (const std::string& file : files) {
    if (records >= kJsonSampleRecords || bytes >= kJsonSampleBytes) break;
    JsonRecords reader(file);
    simdjson::dom::object record;
    while (records < kJsonSampleRecords && bytes < kJsonSampleBytes && reader.Next(&record)) {
      records++;
      for (auto field : record) {
        std::string key(field.key);
        auto [it, added] = column_of.try_emplace(key, names.size());
        if (added) {
          names.push_back(std::move(key));
          votes.emplace_back();
        }
        Vote(votes[it->second], field.value);
        // The sample's size in bytes of the JSON text, roughly: keys and
        // scalar values, which is what parsing them costs.
        bytes += field.key.size() + 8;
        if (field.value.type() == simdjson::dom::element_type::STRING) {
          bytes += field.value.get_string().value_unsafe().size();
        }
      }
    }
  }
  if (names.empty()) {
    ThrowError(sqlstate::kInvalidTextRepresentation,
               "read_json found no object keys in the first records of \"{}\", so it cannot tell "
               "the columns",
               files.empty() ? std::string() : files[0]);
  }
  JsonSchema schema;
  schema.names = std::move(names);
  for (const ColumnVotes& v : votes) schema.types.push_back(Decide(v));
  return schema;
}

}  // namespace basalt
