#include "exec/serde/value_serde.h"

#include <limits>

#include "common/nested_type.h"
#include "common/nested_value.h"
#include "common/stack_limit.h"

namespace basalt {

namespace {

plan::TypeId TypeIdToProto(TypeId id) {
  switch (id) {
    case TypeId::kInvalid:
      return plan::TYPE_ID_INVALID;
    case TypeId::kNull:
      return plan::TYPE_ID_NULL;
    case TypeId::kBoolean:
      return plan::TYPE_ID_BOOLEAN;
    case TypeId::kSmallint:
      return plan::TYPE_ID_SMALLINT;
    case TypeId::kInteger:
      return plan::TYPE_ID_INTEGER;
    case TypeId::kBigint:
      return plan::TYPE_ID_BIGINT;
    case TypeId::kReal:
      return plan::TYPE_ID_REAL;
    case TypeId::kDouble:
      return plan::TYPE_ID_DOUBLE;
    case TypeId::kDecimal:
      return plan::TYPE_ID_DECIMAL;
    case TypeId::kVarchar:
      return plan::TYPE_ID_VARCHAR;
    case TypeId::kDate:
      return plan::TYPE_ID_DATE;
    case TypeId::kTimestamp:
      return plan::TYPE_ID_TIMESTAMP;
    case TypeId::kInterval:
      return plan::TYPE_ID_INTERVAL;
    case TypeId::kList:
      return plan::TYPE_ID_LIST;
    case TypeId::kStruct:
      return plan::TYPE_ID_STRUCT;
  }
  ThrowError(sqlstate::kInternalError, "plan serialization: unknown type id {}",
             static_cast<int>(id));
}

TypeId TypeIdFromProto(plan::TypeId id) {
  switch (id) {
    case plan::TYPE_ID_INVALID:
      return TypeId::kInvalid;
    case plan::TYPE_ID_NULL:
      return TypeId::kNull;
    case plan::TYPE_ID_BOOLEAN:
      return TypeId::kBoolean;
    case plan::TYPE_ID_SMALLINT:
      return TypeId::kSmallint;
    case plan::TYPE_ID_INTEGER:
      return TypeId::kInteger;
    case plan::TYPE_ID_BIGINT:
      return TypeId::kBigint;
    case plan::TYPE_ID_REAL:
      return TypeId::kReal;
    case plan::TYPE_ID_DOUBLE:
      return TypeId::kDouble;
    case plan::TYPE_ID_DECIMAL:
      return TypeId::kDecimal;
    case plan::TYPE_ID_VARCHAR:
      return TypeId::kVarchar;
    case plan::TYPE_ID_DATE:
      return TypeId::kDate;
    case plan::TYPE_ID_TIMESTAMP:
      return TypeId::kTimestamp;
    case plan::TYPE_ID_INTERVAL:
      return TypeId::kInterval;
    case plan::TYPE_ID_LIST:
      return TypeId::kList;
    case plan::TYPE_ID_STRUCT:
      return TypeId::kStruct;
    default:
      break;
  }
  ThrowMalformedPlan("unknown type id {}", static_cast<int>(id));
}

// Whether `s` is valid UTF-8 (no overlong forms, surrogates or code points
// past U+10FFFF): proto3 `string` fields must be, so other text travels as
// bytes.
bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      i++;
      continue;
    }
    int extra;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= n) return false;  // the sequence runs past the end
    for (int k = 1; k <= extra; k++) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

void Int128ToProto(int128_t v, plan::Int128* out) {
  const auto u = static_cast<uint128_t>(v);
  out->set_low(static_cast<uint64_t>(u));
  out->set_high(static_cast<int64_t>(static_cast<uint64_t>(u >> 64)));
}

int128_t Int128FromProto(const plan::Int128& m) {
  const uint128_t u = (static_cast<uint128_t>(static_cast<uint64_t>(m.high())) << 64) | m.low();
  return static_cast<int128_t>(u);
}

// An integer field checked against the range of the type it travels for.
template <typename T>
T CheckedInt(int64_t v, const LogicalType& type) {
  if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
    ThrowMalformedPlan("value {} out of range for {}", v, type.ToString());
  }
  return static_cast<T>(v);
}

void RequireData(const plan::Value& m, plan::Value::DataCase expected, const LogicalType& type) {
  if (m.data_case() != expected) {
    ThrowMalformedPlan("a {} value without its data (field {} set instead of {})", type.ToString(),
                       static_cast<int>(m.data_case()), static_cast<int>(expected));
  }
}

// What the executor and the rest of the statement still need below a plan
// reader that stops here.
constexpr size_t kPlanReaderStackReserve = 256 * 1024;

}  // namespace

void CheckPlanStack() {
  if (RemainingStackBytes() < kPlanReaderStackReserve) {
    ThrowError(sqlstate::kProgramLimitExceeded, "plan message is too deeply nested");
  }
}

void TypeToProto(const LogicalType& type, plan::LogicalType* out) {
  out->set_id(TypeIdToProto(type.id()));
  if (type.id() == TypeId::kDecimal) {
    out->set_precision(type.precision());
    out->set_scale(type.scale());
  } else if (type.id() == TypeId::kList) {
    TypeToProto(ListChildType(type), out->mutable_list_child());
  } else if (type.id() == TypeId::kStruct) {
    for (const StructField& f : StructFields(type)) {
      plan::StructField* field = out->add_fields();
      field->set_name(f.name);
      TypeToProto(f.type, field->mutable_type());
    }
  }
}

LogicalType TypeFromProto(const plan::LogicalType& m) {
  const TypeId id = TypeIdFromProto(m.id());
  switch (id) {
    case TypeId::kDecimal:
      if (m.precision() < 1 || m.precision() > kMaxDecimalPrecision || m.scale() > m.precision()) {
        ThrowMalformedPlan("bad DECIMAL precision {} / scale {}", m.precision(), m.scale());
      }
      return LogicalType::Decimal(static_cast<uint8_t>(m.precision()),
                                  static_cast<uint8_t>(m.scale()));
    case TypeId::kList:
      if (!m.has_list_child()) ThrowMalformedPlan("a LIST type without its element type");
      return ListType(TypeFromProto(m.list_child()));
    case TypeId::kStruct: {
      if (m.fields_size() == 0) ThrowMalformedPlan("a STRUCT type without fields");
      std::vector<StructField> fields;
      for (const plan::StructField& f : m.fields()) {
        for (const StructField& seen : fields) {
          if (seen.name == f.name()) ThrowMalformedPlan("STRUCT field \"{}\" twice", f.name());
        }
        fields.push_back({f.name(), TypeFromProto(f.type())});
      }
      return StructType(std::move(fields));
    }
    default:
      return LogicalType(id);
  }
}

void ValueToProto(const Value& value, plan::Value* out) {
  const LogicalType& type = value.type();
  TypeToProto(type, out->mutable_type());
  if (value.IsNull()) {
    out->set_is_null(true);
    return;
  }
  switch (type.id()) {
    case TypeId::kBoolean:
      out->set_bool_value(value.GetBool());
      return;
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kDate:
    case TypeId::kTimestamp:
      out->set_int_value(value.GetInt64());
      return;
    case TypeId::kReal:
      out->set_real_value(static_cast<float>(value.GetDouble()));
      return;
    case TypeId::kDouble:
      out->set_double_value(value.GetDouble());
      return;
    case TypeId::kDecimal:
      Int128ToProto(value.GetDecimal(), out->mutable_decimal_value());
      return;
    case TypeId::kVarchar:
      if (IsValidUtf8(value.GetString())) {
        out->set_varchar_value(value.GetString());
      } else {
        out->set_varchar_bytes(value.GetString());
      }
      return;
    case TypeId::kInterval: {
      plan::Interval* iv = out->mutable_interval_value();
      iv->set_months(value.GetInterval().months);
      iv->set_days(value.GetInterval().days);
      iv->set_micros(value.GetInterval().micros);
      return;
    }
    case TypeId::kList:
    case TypeId::kStruct:
      out->set_nested_value(value.GetString());
      return;
    case TypeId::kInvalid:
    case TypeId::kNull:
      break;
  }
  ThrowError(sqlstate::kInternalError, "plan serialization: a non-NULL value of type {}",
             type.ToString());
}

Value ValueFromProto(const plan::Value& m) {
  const LogicalType type = TypeFromProto(m.type());
  if (m.is_null()) {
    if (m.data_case() != plan::Value::DATA_NOT_SET) {
      ThrowMalformedPlan("a NULL {} value with data", type.ToString());
    }
    return Value::Null(type);
  }
  switch (type.id()) {
    case TypeId::kBoolean:
      RequireData(m, plan::Value::kBoolValue, type);
      return Value::Boolean(m.bool_value());
    case TypeId::kSmallint:
      RequireData(m, plan::Value::kIntValue, type);
      return Value::Smallint(CheckedInt<int16_t>(m.int_value(), type));
    case TypeId::kInteger:
      RequireData(m, plan::Value::kIntValue, type);
      return Value::Integer(CheckedInt<int32_t>(m.int_value(), type));
    case TypeId::kBigint:
      RequireData(m, plan::Value::kIntValue, type);
      return Value::Bigint(m.int_value());
    case TypeId::kDate:
      RequireData(m, plan::Value::kIntValue, type);
      return Value::Date(CheckedInt<int32_t>(m.int_value(), type));
    case TypeId::kTimestamp:
      RequireData(m, plan::Value::kIntValue, type);
      return Value::Timestamp(m.int_value());
    case TypeId::kReal:
      RequireData(m, plan::Value::kRealValue, type);
      return Value::Real(m.real_value());
    case TypeId::kDouble:
      RequireData(m, plan::Value::kDoubleValue, type);
      return Value::Double(m.double_value());
    case TypeId::kDecimal:
      RequireData(m, plan::Value::kDecimalValue, type);
      return Value::Decimal(Int128FromProto(m.decimal_value()), type.precision(), type.scale());
    case TypeId::kVarchar:
      if (m.data_case() == plan::Value::kVarcharBytes) return Value::Varchar(m.varchar_bytes());
      RequireData(m, plan::Value::kVarcharValue, type);
      return Value::Varchar(m.varchar_value());
    case TypeId::kInterval: {
      RequireData(m, plan::Value::kIntervalValue, type);
      Interval iv;
      iv.months = m.interval_value().months();
      iv.days = m.interval_value().days();
      iv.micros = m.interval_value().micros();
      return Value::FromInterval(iv);
    }
    case TypeId::kList:
    case TypeId::kStruct:
      RequireData(m, plan::Value::kNestedValue, type);
      return Value::Nested(type, m.nested_value());
    case TypeId::kInvalid:
    case TypeId::kNull:
      break;
  }
  ThrowMalformedPlan("a non-NULL value of type {}", type.ToString());
}

void TableRowsToProto(const DataTable& table, plan::InlineTable* out) {
  std::shared_ptr<const TableData> data = table.Snapshot();
  if (!data->segments.empty()) {
    ThrowError(sqlstate::kFeatureNotSupported,
               "plan serialization does not support the rows of a table with segments");
  }
  const std::vector<LogicalType>& types = table.types();
  NestedBuilder builder;
  for (const auto& batch : data->batches) {
    plan::InlineTable::Batch* b = out->add_batches();
    b->set_row_count(batch->size());
    for (idx_t c = 0; c < types.size(); c++) {
      UnifiedFormat format;
      batch->column(c).ToUnified(batch->size(), &format);
      builder.Clear();
      for (idx_t r = 0; r < batch->size(); r++) {
        if (!format.validity->IsValid(format.sel->Get(r))) {
          builder.AppendNull();
        } else {
          AppendElement(builder.AppendValid(), types[c], format, r);
        }
      }
      b->add_columns(builder.FinishList());
    }
  }
}

std::vector<DataChunk> TableRowsFromProto(const plan::InlineTable& message,
                                          const std::vector<LogicalType>& types) {
  std::vector<DataChunk> chunks;
  std::vector<LogicalType> list_types;
  for (const LogicalType& t : types) list_types.push_back(ListType(t));
  for (const plan::InlineTable::Batch& b : message.batches()) {
    if (b.row_count() > kBatchSize || static_cast<size_t>(b.columns_size()) != types.size()) {
      ThrowMalformedPlan(
          "an inline table batch of {} rows and {} columns (expected at most {} "
          "rows and {} columns)",
          b.row_count(), b.columns_size(), kBatchSize, types.size());
    }
    DataChunk& chunk = chunks.emplace_back(types);
    for (size_t c = 0; c < types.size(); c++) {
      NestedReader reader = NestedReader::List(b.columns(static_cast<int>(c)), list_types[c]);
      if (reader.count() != b.row_count()) {
        ThrowMalformedPlan("an inline table column of {} rows in a batch of {}", reader.count(),
                           b.row_count());
      }
      Vector& column = chunk.column(c);
      bool valid = false;
      std::string_view payload;
      for (idx_t r = 0; reader.Next(&valid, &payload); r++) {
        if (valid) {
          StoreElement(column, r, payload);
        } else {
          column.SetNull(r);
        }
      }
    }
    chunk.SetSize(b.row_count());
  }
  return chunks;
}

}  // namespace basalt
