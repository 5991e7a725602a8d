// The array syntax of PostgreSQL's catalog queries. Basalt has no array
// type yet: an array value is its text form ('{a,b}'), a VARCHAR, and the
// array functions (exec/functions/array_text_functions.cc) read that form.
// So `a[i]` is array_subscript(a, i), `x = ANY (a)` is array_any_eq(x, a),
// `x <> ALL (a)` is array_all_ne(x, a), and `type[]` is VARCHAR.
#include "common/exception.h"
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
  bool array = false;
  while (PeekOperator("[")) {
    Advance();
    if (Peek().type == TokenType::kInteger) Advance();  // int[3]: the size is not enforced
    ExpectOperator("]");
    array = true;
  }
  if (array) {
    type->type = TypeId::kVarchar;
    type->oid_alias.clear();
    type->length.reset();
  }
}

}  // namespace basalt::sql
