// Type names (CAST, ::, column definitions) and INTERVAL literals.
#include <charconv>
#include <string>

#include "common/exception.h"
#include "sql/parser_impl.h"

namespace basalt::sql {
namespace {

std::optional<IntervalUnit> IntervalUnitFromWord(const std::string& word) {
  if (word == "year" || word == "years") return IntervalUnit::kYear;
  if (word == "month" || word == "months") return IntervalUnit::kMonth;
  if (word == "day" || word == "days") return IntervalUnit::kDay;
  if (word == "hour" || word == "hours") return IntervalUnit::kHour;
  if (word == "minute" || word == "minutes") return IntervalUnit::kMinute;
  if (word == "second" || word == "seconds") return IntervalUnit::kSecond;
  return std::nullopt;
}

}  // namespace

TypeName Parser::ParseTypeName() {
  const Token& token = Peek();
  if (token.type != TokenType::kWord && token.type != TokenType::kQuotedIdentifier) {
    ErrorAt(token);
  }
  Advance();
  std::string name = token.text;
  // pg_catalog.int4 and the like: PostgreSQL's types live in pg_catalog.
  if (name == "pg_catalog" && token.type == TokenType::kWord && PeekOperator(".")) {
    Advance();
    const Token& qualified = Peek();
    if (qualified.type != TokenType::kWord && qualified.type != TokenType::kQuotedIdentifier) {
      ErrorAt(qualified);
    }
    Advance();
    name = qualified.text;
  }
  if (name == "struct" && token.type == TokenType::kWord && PeekOperator("(")) {
    TypeName result = ParseStructTypeName(token.position);
    ParseArrayTypeSuffix(&result);
    return result;
  }
  if (TypeName alias; ParseCatalogTypeName(name, token.position, &alias)) {
    ParseArrayTypeSuffix(&alias);
    return alias;
  }
  // Multi-word spellings of the standard.
  if (name == "double" && token.type == TokenType::kWord) {
    AcceptKeyword("precision");
  } else if ((name == "character" || name == "char") && AcceptKeyword("varying")) {
    name = "varchar";
  }
  TypeName result;
  result.position = token.position;
  result.type = TypeFromName(name);
  if (result.type.id() == TypeId::kInvalid) {
    ThrowErrorAt(sqlstate::kUndefinedObject, token.position, "type \"{}\" does not exist", name);
  }

  switch (result.type.id()) {
    case TypeId::kDecimal: {
      int32_t precision = kDefaultDecimalPrecision;
      int32_t scale = kDefaultDecimalScale;
      if (AcceptOperator("(")) {
        int32_t precision_position = Peek().position;
        precision = ParseTypeModifier();
        scale = 0;
        int32_t scale_position = Peek().position;
        if (AcceptOperator(",")) {
          scale_position = Peek().position;
          scale = ParseTypeModifier();
        }
        ExpectOperator(")");
        if (precision < 1 || precision > kMaxDecimalPrecision) {
          ThrowErrorAt(sqlstate::kInvalidParameterValue, precision_position,
                       "DECIMAL precision {} must be between 1 and {}", precision,
                       kMaxDecimalPrecision);
        }
        if (scale < 0 || scale > precision) {
          ThrowErrorAt(sqlstate::kInvalidParameterValue, scale_position,
                       "DECIMAL scale {} must be between 0 and precision {}", scale, precision);
        }
      }
      result.type =
          LogicalType::Decimal(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale));
      break;
    }
    case TypeId::kVarchar:
      if (AcceptOperator("(")) {
        int32_t length_position = Peek().position;
        int32_t length = ParseTypeModifier();
        ExpectOperator(")");
        if (length < 1) {
          ThrowErrorAt(sqlstate::kInvalidParameterValue, length_position,
                       "length for type {} must be at least 1", name);
        }
        result.length = length;
      }
      break;
    case TypeId::kTimestamp:
      // TIMESTAMP(p): fractional-second digits; values are microseconds anyway.
      if (AcceptOperator("(")) {
        ParseTypeModifier();
        ExpectOperator(")");
      }
      if (AcceptKeyword("without")) {
        ExpectKeyword("time");
        ExpectKeyword("zone");
      } else if (PeekKeyword("with") && PeekKeyword("time", 1)) {
        Unsupported(Peek(), "TIMESTAMP WITH TIME ZONE");
      }
      break;
    default:
      break;
  }
  ParseArrayTypeSuffix(&result);
  return result;
}

bool Parser::ParseCatalogTypeName(const std::string& name, int32_t position, TypeName* result) {
  // Types of PostgreSQL's catalogs that clients cast to. oid and name are
  // Basalt's BIGINT and VARCHAR; "char" (one byte in PostgreSQL) is VARCHAR.
  result->position = position;
  if (name == "regclass" || name == "regtype" || name == "regnamespace" || name == "regproc" ||
      name == "regprocedure") {
    result->oid_alias = name == "regprocedure" ? "regproc" : name;
    result->type = TypeId::kBigint;
    return true;
  }
  if (name == "oid") {
    result->type = TypeId::kBigint;
    return true;
  }
  if (name == "name") {
    result->type = TypeId::kVarchar;
    return true;
  }
  return false;
}

int32_t Parser::ParseTypeModifier() {
  const Token& token = Peek();
  if (token.type != TokenType::kInteger) ErrorAt(token);
  int32_t value = 0;
  const std::string& digits = token.text;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    ThrowErrorAt(sqlstate::kInvalidParameterValue, token.position,
                 "type modifier {} is out of range", digits);
  }
  Advance();
  return value;
}

ExpressionPtr Parser::ParseInterval() {
  int32_t position = Advance().position;
  const Token& value = Advance();
  std::optional<IntervalUnit> unit;
  if (Peek().type == TokenType::kWord) unit = IntervalUnitFromWord(Peek().text);
  if (unit) {
    Advance();
    // INTERVAL '90' DAY (3): a leading-field precision, which only limits
    // the digits of the value; it does not change its meaning.
    if (PeekOperator("(") && Peek(1).type == TokenType::kInteger && PeekOperator(")", 2)) {
      Advance();
      Advance();
      Advance();
    }
    if (PeekKeyword("to")) Unsupported(Peek(), "an interval field range (such as YEAR TO MONTH)");
  } else if (value.type == TokenType::kInteger) {
    // INTERVAL 3 needs a unit to mean anything.
    ErrorAtCurrent();
  }
  return std::make_unique<IntervalExpression>(value.text, unit, position);
}

}  // namespace basalt::sql
