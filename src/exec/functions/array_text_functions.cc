// Functions over arrays in their text form. Basalt has no array type yet;
// the arrays catalog queries meet (aclitem[], oid[], "char"[], int2vector
// columns, current_schemas()) are VARCHARs holding PostgreSQL's array text
// ('{a,b,"c d",NULL}', or '1 2 3' for the int2vector/oidvector types), and
// these functions read that form:
//   array_subscript(a, i)        a[i]: the i-th element (1-based), as text
//   array_any_eq(x, a)           x = ANY (a)
//   array_all_ne(x, a)           x <> ALL (a)
//   array_to_string(a, sep [, null_text]), array_upper(a, 1),
//   array_lower(a, 1), array_length(a, 1), cardinality(a)
// Elements compared with x are cast to x's type first and compared as `=`
// compares them. With a constant array (the usual `x = ANY ('{...}')`) the
// binder reads the array once and binds an IN list instead (binder_expression.cc);
// array_any_eq / array_all_ne run only for arrays that vary by row.
#include <optional>
#include <string>
#include <vector>

#include "common/exception.h"
#include "exec/cast.h"
#include "exec/functions/array_text.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/compare_ops.h"
#include "exec/functions/register_functions.h"
#include "exec/functions/row_function.h"

namespace basalt {

ArrayTextElements ParseArrayText(const std::string& text) {
  using Elements = ArrayTextElements;
  Elements elements;
  size_t i = 0;
  auto fail = [&]() -> Elements {
    ThrowError(sqlstate::kInvalidTextRepresentation, "malformed array literal: \"{}\"", text);
  };
  if (text.empty() || text[0] != '{') {
    // int2vector / oidvector: space-separated.
    std::string item;
    for (char c : text) {
      if (c == ' ') {
        if (!item.empty()) elements.emplace_back(std::move(item));
        item.clear();
      } else {
        item += c;
      }
    }
    if (!item.empty()) elements.emplace_back(std::move(item));
    return elements;
  }
  i = 1;
  if (i < text.size() && text[i] == '}') return elements;
  while (i < text.size()) {
    std::string item;
    bool quoted = false;
    while (i < text.size() && text[i] == ' ') i++;
    if (i < text.size() && text[i] == '"') {
      quoted = true;
      for (i++; i < text.size() && text[i] != '"'; i++) {
        if (text[i] == '\\' && i + 1 < text.size()) i++;
        item += text[i];
      }
      if (i >= text.size()) return fail();
      i++;
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '}') {
        if (text[i] == '{' || text[i] == '"') return fail();  // nested arrays are not supported
        if (text[i] == '\\' && i + 1 < text.size()) i++;
        item += text[i++];
      }
      while (!item.empty() && item.back() == ' ') item.pop_back();
    }
    if (!quoted && item == "NULL") {
      elements.emplace_back(std::nullopt);
    } else {
      elements.emplace_back(std::move(item));
    }
    if (i >= text.size()) return fail();
    if (text[i] == '}') {
      if (i + 1 != text.size()) return fail();
      return elements;
    }
    i++;  // ,
  }
  return fail();
}

namespace {

const LogicalType kText = TypeId::kVarchar;
const LogicalType kInt = TypeId::kInteger;
const LogicalType kBigint = TypeId::kBigint;
const LogicalType kBool = TypeId::kBoolean;

// x = ANY (a) with SQL's rules: NULL for a NULL array; false for an empty
// one, whatever x (as in PostgreSQL); else true on a match, NULL if x or an
// element is NULL, else false. `all_ne` computes x <> ALL (a) = NOT (x = ANY (a)).
Value AnyEqual(const std::vector<Value>& v, const LogicalType& type, bool all_ne) {
  if (v[1].IsNull()) return Value::Null(kBool);
  ArrayTextElements elements = ParseArrayText(v[1].GetString());
  if (elements.empty()) return Value::Boolean(all_ne);
  if (v[0].IsNull()) return Value::Null(kBool);
  bool saw_null = false;
  bool found = false;
  for (const auto& e : elements) {
    if (!e) {
      saw_null = true;
      continue;
    }
    // Every element is converted, as PostgreSQL reads the whole array first:
    // a bad element fails the row even after a match.
    Value element = CastValue(Value::Varchar(*e), type);
    found = found || ValuesEqual(element, v[0]);
  }
  if (found) return Value::Boolean(!all_ne);
  if (saw_null) return Value::Null(kBool);
  return Value::Boolean(all_ne);
}

ScalarBinder AnyBinder(bool all_ne) {
  return [all_ne](const std::vector<LogicalType>& args,
                  const std::vector<const Value*>&) -> std::optional<BoundScalarFunction> {
    if (args.size() != 2 || !IsVarcharOrNull(args[1])) return std::nullopt;
    LogicalType type = args[0].id() == TypeId::kNull ? kText : args[0];
    return MakeRowFunction("", {type, kText}, kBool, [type, all_ne](const std::vector<Value>& v) {
      return AnyEqual(v, type, all_ne);
    });
  };
}

// A binder for (text array, arg types...) -> result calling `fn` for non-NULL inputs.
ScalarBinder StrictBinder(std::vector<LogicalType> params, LogicalType result, RowFunction fn) {
  return [params, result, fn](
             const std::vector<LogicalType>& args,
             const std::vector<const Value*>&) -> std::optional<BoundScalarFunction> {
    if (args.size() != params.size()) return std::nullopt;
    for (size_t i = 0; i < args.size(); i++) {
      bool ok = IsVarchar(params[i]) ? IsVarcharOrNull(args[i]) : IsIntegerOrNull(args[i]);
      if (!ok) return std::nullopt;
    }
    return MakeStrictRowFunction("", params, result, fn);
  };
}

// Bound of dimension `dim` of a one-dimensional array: NULL for an empty
// array or another dimension, as in PostgreSQL.
Value Bound(const std::vector<Value>& v, bool upper) {
  auto elements = ParseArrayText(v[0].GetString());
  if (elements.empty() || v[1].GetInt64() != 1) return Value::Null(kInt);
  return Value::Integer(upper ? static_cast<int32_t>(elements.size()) : 1);
}

}  // namespace

void RegisterArrayTextFunctions(FunctionRegistry& registry) {
  registry.AddScalar("array_any_eq", AnyBinder(false));
  registry.AddScalar("array_all_ne", AnyBinder(true));
  registry.AddScalar("array_subscript",
                     StrictBinder({kText, kBigint}, kText, [](const std::vector<Value>& v) {
                       auto elements = ParseArrayText(v[0].GetString());
                       int64_t i = v[1].GetInt64();
                       if (i < 1 || i > static_cast<int64_t>(elements.size()) || !elements[i - 1]) {
                         return Value::Null(kText);
                       }
                       return Value::Varchar(*elements[i - 1]);
                     }));
  auto to_string = [](const std::vector<Value>& v) {
    if (v[0].IsNull() || v[1].IsNull()) return Value::Null(kText);
    std::string out;
    bool first = true;
    for (const auto& e : ParseArrayText(v[0].GetString())) {
      if (!e && (v.size() < 3 || v[2].IsNull())) continue;  // NULL elements are skipped
      if (!first) out += v[1].GetString();
      out += e ? *e : v[2].GetString();
      first = false;
    }
    return Value::Varchar(out);
  };
  registry.AddScalar(
      "array_to_string",
      [to_string](const std::vector<LogicalType>& args,
                  const std::vector<const Value*>&) -> std::optional<BoundScalarFunction> {
        if (args.size() < 2 || args.size() > 3) return std::nullopt;
        for (const auto& a : args) {
          if (!IsVarcharOrNull(a)) return std::nullopt;
        }
        return MakeRowFunction("", std::vector<LogicalType>(args.size(), kText), kText, to_string);
      });
  registry.AddScalar("array_upper",
                     StrictBinder({kText, kBigint}, kInt,
                                  [](const std::vector<Value>& v) { return Bound(v, true); }));
  registry.AddScalar("array_length",
                     StrictBinder({kText, kBigint}, kInt,
                                  [](const std::vector<Value>& v) { return Bound(v, true); }));
  registry.AddScalar("array_lower",
                     StrictBinder({kText, kBigint}, kInt,
                                  [](const std::vector<Value>& v) { return Bound(v, false); }));
  registry.AddScalar(
      "cardinality", StrictBinder({kText}, kInt, [](const std::vector<Value>& v) {
        return Value::Integer(static_cast<int32_t>(ParseArrayText(v[0].GetString()).size()));
      }));
}

}  // namespace basalt
