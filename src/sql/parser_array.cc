// Array and list syntax. PostgreSQL's catalog queries use arrays, which are
// their text form ('{a,b}') in a VARCHAR, read by the functions of
// exec/functions/array_text_functions.cc: `x = ANY (a)` is array_any_eq(x, a),
// `x <> ALL (a)` is array_all_ne(x, a), and `type[]` in a cast is VARCHAR
// unless the operand is a LIST. Real LIST and STRUCT values (DuckDB's syntax:
// [1, 2], {'a': 1}, INTEGER[] and STRUCT(a INTEGER) column types) are
// docs/types_and_functions.md's "Lists and structs". `a[i]` is
// array_subscript(a, i) for both: the binder picks by a's type.
#include "common/exception.h"
#include "common/nested_type.h"
#include "sql/parser_impl.h"

namespace basalt::sql {

void Parser::ParseSubscript(ExpressionPtr& operand, int32_t start) {
  Advance();  // [
  ExpressionPtr index = ParseExpression();
  if (PeekOperator(":")) Unsupported(Peek(), "array slices");
  ExpectOperator("]");
  auto call = std::make_unique<FunctionCallExpression>("array_subscript", start);
  call->args.push_back(std::move(operand));
  call->args.push_back(std::move(index));
  operand = std::move(call);
  // l[i].field: a field of a struct element.
  while (PeekOperator(".") &&
         (Peek(1).type == TokenType::kWord || Peek(1).type == TokenType::kQuotedIdentifier)) {
    int32_t dot = Advance().position;
    const Token& field = Advance();
    auto extract = std::make_unique<FunctionCallExpression>("struct_extract", dot);
    extract->args.push_back(std::move(operand));
    extract->args.push_back(
        std::make_unique<ConstantExpression>(ConstantKind::kString, field.text, field.position));
    operand = std::move(extract);
  }
}

ExpressionPtr Parser::ParseArraySubquery() {
  int32_t position = Advance().position;  // ARRAY
  ExpectOperator("(");
  if (!PeekQueryStart()) ErrorAtCurrent();
  QueryNodePtr query = ParseQuery();
  ExpectOperator(")");
  return std::make_unique<SubqueryExpression>(SubqueryKind::kArray, std::move(query), position);
}

void Parser::ParseArrayComparison(ExpressionPtr& operand, ComparisonOperator op, bool any,
                                  int32_t start) {
  // The common forms: membership and non-membership.
  const char* name = nullptr;
  if (any && op == ComparisonOperator::kEqual) name = "array_any_eq";
  if (!any && op == ComparisonOperator::kNotEqual) name = "array_all_ne";
  if (name == nullptr) Unsupported(Peek(), "this comparison with ANY/ALL of an array");
  ExpressionPtr array = ParseExpression();
  ExpectOperator(")");
  auto call = std::make_unique<FunctionCallExpression>(name, start);
  call->args.push_back(std::move(operand));
  call->args.push_back(std::move(array));
  operand = std::move(call);
}

void Parser::ParseArrayTypeSuffix(TypeName* type) {
  while (PeekOperator("[")) {
    Advance();
    if (Peek().type == TokenType::kInteger) Advance();  // int[3]: the size is not enforced
    ExpectOperator("]");
    type->list_type = ListType(type->list_type.id() == TypeId::kList ? type->list_type : type->type);
    // A list of structs has no catalog meaning; other `type[]` stay the
    // catalog's text unless the binder sees a LIST operand or a column.
    type->type = ListChildType(type->list_type).IsNested() ? type->list_type
                                                            : LogicalType(TypeId::kVarchar);
    type->oid_alias.clear();
    type->length.reset();
  }
}

TypeName Parser::ParseColumnTypeName() {
  TypeName type = ParseTypeName();
  if (type.list_type.id() == TypeId::kList) type.type = type.list_type;
  return type;
}

TypeName Parser::ParseStructTypeName(int32_t position) {
  ExpectOperator("(");
  std::vector<StructField> fields;
  do {
    int32_t name_position = Peek().position;
    std::string name = ParseIdentifier();
    for (const auto& f : fields) {
      if (f.name == name) {
        ThrowErrorAt(sqlstate::kDuplicateColumn, name_position,
                     "STRUCT field \"{}\" is given twice", name);
      }
    }
    TypeName field = ParseColumnTypeName();
    if (!field.oid_alias.empty()) Unsupported(Peek(), "a catalog type inside a STRUCT");
    fields.push_back({std::move(name), field.type});
  } while (AcceptOperator(","));
  ExpectOperator(")");
  TypeName result;
  result.position = position;
  result.type = StructType(std::move(fields));
  return result;
}

// [a, b, c] is list_value(a, b, c), as in DuckDB.
ExpressionPtr Parser::ParseListLiteral() {
  NestingGuard guard(this);
  int32_t position = Advance().position;  // [
  auto call = std::make_unique<FunctionCallExpression>("list_value", position);
  if (!AcceptOperator("]")) {
    do {
      call->args.push_back(ParseExpression());
    } while (AcceptOperator(","));
    ExpectOperator("]");
  }
  return call;
}

// {'a': x, 'b': y} is struct_pack('a', x, 'b', y); a field name is a string
// or an identifier.
ExpressionPtr Parser::ParseStructLiteral() {
  NestingGuard guard(this);
  int32_t position = Advance().position;  // {
  auto call = std::make_unique<FunctionCallExpression>("struct_pack", position);
  do {
    const Token& name = Peek();
    if (name.type != TokenType::kString && name.type != TokenType::kWord &&
        name.type != TokenType::kQuotedIdentifier) {
      ErrorAt(name);
    }
    Advance();
    call->args.push_back(
        std::make_unique<ConstantExpression>(ConstantKind::kString, name.text, name.position));
    ExpectOperator(":");
    call->args.push_back(ParseExpression());
  } while (AcceptOperator(","));
  ExpectOperator("}");
  return call;
}

// struct_pack(a := x, b := y): the named arguments become the name, value
// pairs struct_pack's binder reads.
void Parser::PackStructArguments(FunctionCallExpression& call) {
  if (call.named_args.empty()) return;
  if (!call.args.empty()) {
    ThrowErrorAt(sqlstate::kSyntaxError, call.position,
                 "struct_pack takes named arguments only (name := value)");
  }
  for (auto& a : call.named_args) {
    call.args.push_back(
        std::make_unique<ConstantExpression>(ConstantKind::kString, a.name, a.position));
    call.args.push_back(std::move(a.value));
  }
  call.named_args.clear();
}

}  // namespace basalt::sql
