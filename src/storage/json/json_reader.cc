#include "storage/json/json_reader.h"

#include <fmt/format.h>

#include <cmath>
#include <string_view>

#include "common/exception.h"
#include "storage/csv_field_parse.h"

namespace basalt {

namespace {

using simdjson::dom::element_type;

// Whether a string's text reads as `type`; writes the value on success.
bool ParseText(Vector& column, idx_t row, std::string_view text) {
  switch (column.type().id()) {
    case TypeId::kBoolean:
      return ParseBoolField(text, &column.Data<bool>()[row]) == FieldParse::kOk;
    case TypeId::kBigint:
      return ParseIntegerField<int64_t>(text, &column.Data<int64_t>()[row]) == FieldParse::kOk;
    case TypeId::kDouble:
      return ParseDoubleField(text, &column.Data<double>()[row]) == FieldParse::kOk;
    case TypeId::kDate:
      return ParseDateField(text, &column.Data<int32_t>()[row]) == FieldParse::kOk;
    case TypeId::kTimestamp:
      return ParseTimestampField(text, &column.Data<int64_t>()[row]) == FieldParse::kOk;
    default:
      return false;
  }
}

}  // namespace

JsonReader::JsonReader(std::string path, const std::vector<std::string>& names,
                       const std::vector<LogicalType>& types, std::vector<idx_t> column_ids)
    : records_(std::move(path)) {
  SetColumns(names, types, column_ids);
}

JsonReader::JsonReader(std::string path, uint64_t begin, uint64_t end,
                       const std::vector<std::string>& names,
                       const std::vector<LogicalType>& types, std::vector<idx_t> column_ids)
    : records_(std::move(path), begin, end) {
  SetColumns(names, types, column_ids);
}

JsonReader::~JsonReader() = default;

void JsonReader::SetColumns(const std::vector<std::string>& names,
                            const std::vector<LogicalType>& types,
                            const std::vector<idx_t>& column_ids) {
  for (idx_t id : column_ids) {
    // A name picked twice (SELECT a, a) is still one key: the second column
    // copies the first after each chunk. The binder never asks for that
    // today, so it is checked rather than supported.
    BASALT_CHECK(output_of_.try_emplace(names[id], names_.size()).second);
    names_.push_back(names[id]);
    types_.push_back(types[id]);
  }
  set_.resize(names_.size());
}

bool JsonReader::ReadChunk(DataChunk& out) {
  out.Initialize(types_);
  const idx_t capacity = out.capacity();
  idx_t rows = 0;
  simdjson::dom::object record;
  while (rows < capacity && records_.Next(&record)) {
    std::fill(set_.begin(), set_.end(), false);
    for (auto field : record) {
      if (output_of_.empty()) break;  // count(*): only the records matter
      auto it = output_of_.find(std::string(field.key));
      if (it == output_of_.end()) continue;
      set_[it->second] = true;
      WriteValue(out.column(it->second), rows, it->second, field.value);
    }
    for (idx_t c = 0; c < set_.size(); c++) {
      if (!set_[c]) out.column(c).SetNull(rows);
    }
    rows++;
  }
  out.SetSize(rows);
  return rows > 0;
}

void JsonReader::WriteValue(Vector& column, idx_t row, idx_t output,
                            simdjson::dom::element value) {
  const element_type kind = value.type();
  if (kind == element_type::NULL_VALUE) {
    column.SetNull(row);
    return;
  }
  // A key seen twice in one record: the last value wins, so an earlier NULL
  // must not stick.
  column.validity().SetValid(row);
  switch (column.type().id()) {
    case TypeId::kVarchar:
      if (kind == element_type::STRING) {
        column.SetString(row, value.get_string().value_unsafe());
      } else {
        column.SetString(row, simdjson::minify(value));
      }
      return;
    case TypeId::kBoolean:
      if (kind == element_type::BOOL) {
        column.Data<bool>()[row] = value.get_bool().value_unsafe();
        return;
      }
      break;
    case TypeId::kBigint:
      if (kind == element_type::INT64) {
        column.Data<int64_t>()[row] = value.get_int64().value_unsafe();
        return;
      }
      if (kind == element_type::DOUBLE) {
        // 3.0 is the integer 3; 3.5 is not an integer and is not rounded.
        double d = value.get_double().value_unsafe();
        if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
          column.Data<int64_t>()[row] = static_cast<int64_t>(d);
          return;
        }
      }
      break;
    case TypeId::kDouble:
      if (kind == element_type::INT64 || kind == element_type::UINT64 ||
          kind == element_type::DOUBLE) {
        column.Data<double>()[row] = value.get_double().value_unsafe();
        return;
      }
      break;
    default:
      break;
  }
  if (kind == element_type::STRING && ParseText(column, row, value.get_string().value_unsafe())) {
    return;
  }
  ThrowConversion(output, value);
}

void JsonReader::ThrowConversion(idx_t output, simdjson::dom::element value) const {
  std::string text = simdjson::minify(value);
  if (text.size() > 100) {
    // Cut at a character boundary: the message must stay valid UTF-8.
    size_t cut = 100;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) cut--;
    text = text.substr(0, cut) + "...";
  }
  ThrowError(sqlstate::kInvalidTextRepresentation,
             "cannot read JSON value {} of key \"{}\" as {} in file \"{}\" at {}", text,
             names_[output], types_[output].ToString(), records_.path(), records_.Location());
}

}  // namespace basalt
