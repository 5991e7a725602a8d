#include "server/pg_binary.h"

#include <algorithm>

#include "common/decimal.h"
#include "common/exception.h"
#include "exec/cast.h"
#include "server/pg_types.h"

namespace basalt {

namespace {

Value FromText(const std::string& text, const LogicalType& type, int parameter_number) {
  if (type.id() == TypeId::kInvalid || type.id() == TypeId::kVarchar) {
    return Value::Varchar(text);
  }
  LogicalType target = type;
  if (type.id() == TypeId::kDecimal) {
    // Each numeric value brings its own precision and scale.
    int precision = 0;
    int scale = 0;
    if (DecimalLiteralShape(text, &precision, &scale)) {
      target = LogicalType::Decimal(static_cast<uint8_t>(std::max(precision, scale + 1)),
                                    static_cast<uint8_t>(scale));
    }
  }
  try {
    return CastValue(Value::Varchar(text), target);
  } catch (const BasaltError& e) {
    throw BasaltError(e.code(), fmt::format("bind parameter {}: {}", parameter_number, e.what()));
  }
}

}  // namespace

bool LogicalTypeOfPgOid(int32_t oid, LogicalType* out) {
  if (oid == 0 || oid == pg_oid::kUnknown) {
    *out = TypeId::kInvalid;
    return true;
  }
  // Parse declares no typmod: a NUMERIC parameter is DECIMAL(38, 0) until
  // each value brings its own scale (FromText).
  std::optional<LogicalType> type =
      LogicalTypeOfPg(oid, -1, LogicalType::Decimal(kMaxDecimalPrecision, 0));
  if (!type) return false;
  *out = *type;
  return true;
}

Value PgParameterValue(const std::optional<std::string>& data, PgFormat format,
                       const LogicalType& type, int parameter_number) {
  if (!data) return Value::Null(type.id() == TypeId::kInvalid ? LogicalType(TypeId::kNull) : type);
  if (format == PgFormat::kBinary) return PgValueFromBinary(*data, type, parameter_number);
  return FromText(*data, type, parameter_number);
}

}  // namespace basalt
