#include "sql/ast_query.h"

#include <fmt/format.h>

#include "sql/keywords.h"

namespace basalt::sql {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteIdentifier(names[i]);
  }
  return out;
}

std::string JoinExpressionList(const std::vector<ExpressionPtr>& list) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += list[i]->ToString();
  }
  return out;
}

const char* JoinTypeKeyword(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "JOIN";
    case JoinType::kLeft:
      return "LEFT JOIN";
    case JoinType::kRight:
      return "RIGHT JOIN";
    case JoinType::kFull:
      return "FULL JOIN";
    case JoinType::kCross:
      return "CROSS JOIN";
  }
  return "JOIN";
}

const char* SetOperationKeyword(SetOperationType op) {
  switch (op) {
    case SetOperationType::kUnion:
      return "UNION";
    case SetOperationType::kIntersect:
      return "INTERSECT";
    case SetOperationType::kExcept:
      return "EXCEPT";
  }
  return "UNION";
}

int SetOperationPrecedence(SetOperationType op) {
  return op == SetOperationType::kIntersect ? 2 : 1;
}

// Prints a set operation's operand, parenthesised when it would otherwise
// bind differently or carries its own WITH / ORDER BY / LIMIT.
std::string SetOperand(const QueryNode& operand, int parent_precedence, bool is_right) {
  bool parenthesize = operand.HasModifiers();
  if (operand.Is<SetOperationNode>()) {
    int p = SetOperationPrecedence(operand.As<SetOperationNode>().op);
    parenthesize = parenthesize || p < parent_precedence || (is_right && p == parent_precedence);
  }
  std::string text = operand.ToString();
  return parenthesize ? "(" + text + ")" : text;
}

}  // namespace

// --- Table references --------------------------------------------------------------

std::string TableRef::AliasToString() const {
  std::string out;
  if (!alias.empty()) out += " AS " + QuoteIdentifier(alias);
  if (!column_aliases.empty()) out += "(" + JoinNames(column_aliases) + ")";
  return out;
}

void TableRef::CopyAliasTo(TableRef& target) const {
  target.alias = alias;
  target.column_aliases = column_aliases;
}

std::string BaseTableRef::ToString() const {
  std::string out = schema.empty() ? "" : QuoteIdentifier(schema) + ".";
  return out + QuoteIdentifier(name) + AliasToString();
}

TableRefPtr BaseTableRef::Copy() const {
  auto copy = std::make_unique<BaseTableRef>(position);
  copy->schema = schema;
  copy->name = name;
  CopyAliasTo(*copy);
  return copy;
}

SubqueryRef::SubqueryRef(std::unique_ptr<QueryNode> query, int32_t position)
    : TableRef(kKind, position), query(std::move(query)) {}

SubqueryRef::~SubqueryRef() = default;

std::string SubqueryRef::ToString() const {
  return "(" + query->ToString() + ")" + AliasToString();
}

TableRefPtr SubqueryRef::Copy() const {
  auto copy = std::make_unique<SubqueryRef>(query->Copy(), position);
  CopyAliasTo(*copy);
  return copy;
}

JoinRef::~JoinRef() {
  // Iterative, like ~BinaryExpression: `FROM a, b, c, ...` is left-deep.
  TableRefPtr next = std::move(left);
  while (next && next->Is<JoinRef>()) {
    TableRefPtr after = std::move(next->As<JoinRef>().left);
    next = std::move(after);
  }
}

std::string JoinRef::ToString() const {
  // Joins associate to the left, so only a join on the right, or one with an
  // alias, needs parentheses; unaliased left joins are printed in a loop.
  std::vector<const JoinRef*> spine = {this};
  while (spine.back()->left->Is<JoinRef>() && spine.back()->left->alias.empty()) {
    spine.push_back(&spine.back()->left->As<JoinRef>());
  }
  std::string out = spine.back()->left->ToString();
  for (size_t i = spine.size(); i-- > 0;) {
    const JoinRef* node = spine[i];
    std::string right_text = node->right->ToString();
    if (node->right->Is<JoinRef>() && node->right->alias.empty()) {
      right_text = "(" + right_text + ")";
    }
    out += fmt::format(" {}{} {}", node->natural ? "NATURAL " : "",
                       JoinTypeKeyword(node->join_type), right_text);
    if (node->condition) out += " ON " + node->condition->ToString();
    if (!node->using_columns.empty()) {
      out += " USING (" + JoinNames(node->using_columns) + ")";
    }
    if (!node->alias.empty()) out = "(" + out + ")" + node->AliasToString();
  }
  return out;
}

TableRefPtr JoinRef::Copy() const {
  std::vector<const JoinRef*> spine = {this};
  while (spine.back()->left->Is<JoinRef>()) spine.push_back(&spine.back()->left->As<JoinRef>());
  TableRefPtr copy = spine.back()->left->Copy();
  for (size_t i = spine.size(); i-- > 0;) {
    const JoinRef* node = spine[i];
    auto join = std::make_unique<JoinRef>(node->join_type, std::move(copy), node->right->Copy(),
                                          node->position);
    join->condition = CopyExpression(node->condition);
    join->using_columns = node->using_columns;
    join->natural = node->natural;
    node->CopyAliasTo(*join);
    copy = std::move(join);
  }
  return copy;
}

std::string TableFunctionRef::ToString() const {
  if (is_path) {
    return ConstantExpression(ConstantKind::kString, path, position).ToString() + AliasToString();
  }
  return function->ToString() + AliasToString();
}

TableRefPtr TableFunctionRef::Copy() const {
  auto copy = std::make_unique<TableFunctionRef>(position);
  if (function) {
    ExpressionPtr function_copy = function->Copy();
    copy->function.reset(static_cast<FunctionCallExpression*>(function_copy.release()));
  }
  copy->is_path = is_path;
  copy->path = path;
  CopyAliasTo(*copy);
  return copy;
}

// --- Query nodes -----------------------------------------------------------------

CommonTableExpression CommonTableExpression::Copy() const {
  return CommonTableExpression{name, column_names, query->Copy(), position};
}

std::string QueryNode::ToString() const {
  std::string out;
  if (!ctes.empty()) {
    out += "WITH ";
    for (size_t i = 0; i < ctes.size(); ++i) {
      if (i > 0) out += ", ";
      out += QuoteIdentifier(ctes[i].name);
      if (!ctes[i].column_names.empty()) out += "(" + JoinNames(ctes[i].column_names) + ")";
      out += " AS (" + ctes[i].query->ToString() + ")";
    }
    out += " ";
  }
  out += BodyToString();
  if (!order_by.empty()) {
    out += " ORDER BY ";
    for (size_t i = 0; i < order_by.size(); ++i) {
      if (i > 0) out += ", ";
      out += order_by[i].ToString();
    }
  }
  if (limit) out += " LIMIT " + limit->ToString();
  if (offset) out += " OFFSET " + offset->ToString();
  return out;
}

void QueryNode::CopyModifiersTo(QueryNode& target) const {
  for (const auto& cte : ctes) target.ctes.push_back(cte.Copy());
  target.order_by = CopyOrderBy(order_by);
  target.limit = CopyExpression(limit);
  target.offset = CopyExpression(offset);
}

GroupByClause GroupByClause::Copy() const {
  GroupByClause copy;
  copy.expressions = CopyExpressions(expressions);
  copy.grouping_sets = grouping_sets;
  copy.plain = plain;
  return copy;
}

std::string GroupByClause::ToString() const {
  if (grouping_sets.empty()) return "";
  if (plain) return JoinExpressionList(expressions);
  std::string out = "GROUPING SETS (";
  for (size_t i = 0; i < grouping_sets.size(); ++i) {
    if (i > 0) out += ", ";
    out += "(";
    for (size_t j = 0; j < grouping_sets[i].size(); ++j) {
      if (j > 0) out += ", ";
      out += expressions[grouping_sets[i][j]]->ToString();
    }
    out += ")";
  }
  return out + ")";
}

std::string SelectNode::BodyToString() const {
  std::string out = distinct ? "SELECT DISTINCT " : "SELECT ";
  for (size_t i = 0; i < select_list.size(); ++i) {
    if (i > 0) out += ", ";
    out += select_list[i].expression->ToString();
    if (!select_list[i].alias.empty()) out += " AS " + QuoteIdentifier(select_list[i].alias);
  }
  if (from) out += " FROM " + from->ToString();
  if (where) out += " WHERE " + where->ToString();
  if (!group_by.empty()) out += " GROUP BY " + group_by.ToString();
  if (having) out += " HAVING " + having->ToString();
  return out;
}

QueryNodePtr SelectNode::Copy() const {
  auto copy = std::make_unique<SelectNode>(position);
  copy->distinct = distinct;
  for (const auto& item : select_list) {
    copy->select_list.push_back(SelectItem{item.expression->Copy(), item.alias});
  }
  if (from) copy->from = from->Copy();
  copy->where = CopyExpression(where);
  copy->group_by = group_by.Copy();
  copy->having = CopyExpression(having);
  CopyModifiersTo(*copy);
  return copy;
}

SetOperationNode::~SetOperationNode() {
  // Iterative, like ~BinaryExpression: a chain of UNIONs is left-deep.
  QueryNodePtr next = std::move(left);
  while (next && next->Is<SetOperationNode>()) {
    QueryNodePtr after = std::move(next->As<SetOperationNode>().left);
    next = std::move(after);
  }
}

std::string SetOperationNode::BodyToString() const {
  // Left operands that print without parentheses are printed in a loop.
  std::vector<const SetOperationNode*> spine = {this};
  while (true) {
    const QueryNode& next = *spine.back()->left;
    if (!next.Is<SetOperationNode>() || next.HasModifiers() ||
        SetOperationPrecedence(next.As<SetOperationNode>().op) <
            SetOperationPrecedence(spine.back()->op)) {
      break;
    }
    spine.push_back(&next.As<SetOperationNode>());
  }
  const SetOperationNode* bottom = spine.back();
  std::string out = SetOperand(*bottom->left, SetOperationPrecedence(bottom->op), false);
  for (size_t i = spine.size(); i-- > 0;) {
    const SetOperationNode* node = spine[i];
    out += fmt::format(" {}{} {}", SetOperationKeyword(node->op), node->all ? " ALL" : "",
                       SetOperand(*node->right, SetOperationPrecedence(node->op), true));
  }
  return out;
}

QueryNodePtr SetOperationNode::Copy() const {
  std::vector<const SetOperationNode*> spine = {this};
  while (spine.back()->left->Is<SetOperationNode>()) {
    spine.push_back(&spine.back()->left->As<SetOperationNode>());
  }
  QueryNodePtr copy = spine.back()->left->Copy();
  for (size_t i = spine.size(); i-- > 0;) {
    const SetOperationNode* node = spine[i];
    auto set = std::make_unique<SetOperationNode>(node->op, node->all, std::move(copy),
                                                  node->right->Copy(), node->position);
    node->CopyModifiersTo(*set);
    copy = std::move(set);
  }
  return copy;
}

std::string ValuesNode::BodyToString() const {
  std::string out = "VALUES ";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out += ", ";
    out += "(" + JoinExpressionList(rows[i]) + ")";
  }
  return out;
}

QueryNodePtr ValuesNode::Copy() const {
  auto copy = std::make_unique<ValuesNode>(position);
  for (const auto& row : rows) copy->rows.push_back(CopyExpressions(row));
  CopyModifiersTo(*copy);
  return copy;
}

}  // namespace basalt::sql
