// Queries: WITH, set operations, SELECT, VALUES, ORDER BY / LIMIT, GROUP BY
// and FROM-clause table references.
#include <algorithm>
#include <string>

#include "common/exception.h"
#include "sql/keywords.h"
#include "sql/parser_impl.h"

namespace basalt::sql {
namespace {

// PostgreSQL's limits: CUBE expands to 2^n sets, so both are needed to keep
// a short query from asking for billions of grouping sets.
constexpr size_t kMaxCubeElements = 12;
constexpr size_t kMaxGroupingSets = 4096;

// PostgreSQL's SQLSTATE for a duplicate WITH name.
constexpr const char* kDuplicateAlias = "42712";

// Set operation binding: INTERSECT before UNION and EXCEPT.
int SetOperationPrecedence(SetOperationType op) {
  return op == SetOperationType::kIntersect ? 2 : 1;
}

std::vector<size_t> UnionOfSets(const std::vector<size_t>& a, const std::vector<size_t>& b) {
  std::vector<size_t> out = a;
  out.insert(out.end(), b.begin(), b.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

// --- Query structure ---------------------------------------------------------------

QueryNodePtr Parser::ParseQuery() {
  NestingGuard guard(this);
  int32_t start = Peek().position;
  std::vector<CommonTableExpression> ctes;
  if (PeekKeyword("with")) ParseWith(ctes);
  QueryNodePtr node = ParseSetOperations(0);
  ParseQueryModifiers(*node);
  if (!ctes.empty()) {
    if (!node->ctes.empty()) {
      ThrowErrorAt(sqlstate::kSyntaxError, start, "multiple WITH clauses not allowed");
    }
    node->ctes = std::move(ctes);
  }
  node->position = start;
  return node;
}

QueryNodePtr Parser::ParseSetOperations(int min_precedence) {
  return ParseSetOperationsAfter(ParseQueryTerm(), min_precedence);
}

QueryNodePtr Parser::ParseSetOperationsAfter(QueryNodePtr left, int min_precedence) {
  while (true) {
    SetOperationType op;
    if (PeekKeyword("union")) {
      op = SetOperationType::kUnion;
    } else if (PeekKeyword("except")) {
      op = SetOperationType::kExcept;
    } else if (PeekKeyword("intersect")) {
      op = SetOperationType::kIntersect;
    } else {
      break;
    }
    int p = SetOperationPrecedence(op);
    if (p < min_precedence) break;
    Advance();
    bool all = AcceptKeyword("all");
    if (!all) AcceptKeyword("distinct");
    // The right operand takes only tighter operators, so equal ones
    // associate to the left through this loop.
    QueryNodePtr right = ParseSetOperations(p + 1);
    int32_t position = left->position;
    left = std::make_unique<SetOperationNode>(op, all, std::move(left), std::move(right), position);
  }
  return left;
}

QueryNodePtr Parser::ParseQueryTerm() {
  if (PeekKeyword("select")) return ParseSelectNode();
  if (PeekKeyword("values")) return ParseValuesNode();
  if (PeekOperator("(")) {
    Advance();
    QueryNodePtr inner = ParseQuery();
    ExpectOperator(")");
    return inner;
  }
  ErrorAtCurrent();
}

bool Parser::PeekQueryContinuation() const {
  return PeekKeyword("union") || PeekKeyword("intersect") || PeekKeyword("except") ||
         PeekKeyword("order") || PeekKeyword("limit") || PeekKeyword("offset") ||
         PeekKeyword("fetch");
}

QueryNodePtr Parser::ParseParenthesizedQueryRest(QueryNodePtr inner) {
  QueryNodePtr node = ParseSetOperationsAfter(std::move(inner), 0);
  ParseQueryModifiers(*node);
  return node;
}

void Parser::ParseWith(std::vector<CommonTableExpression>& ctes) {
  Advance();
  if (PeekKeyword("recursive")) Unsupported(Peek(), "WITH RECURSIVE");
  do {
    CommonTableExpression cte;
    cte.position = Peek().position;
    cte.name = ParseIdentifier();
    for (const auto& other : ctes) {
      if (other.name == cte.name) {
        ThrowErrorAt(kDuplicateAlias, cte.position,
                     "WITH query name \"{}\" specified more than once", cte.name);
      }
    }
    if (PeekOperator("(")) cte.column_names = ParseParenthesizedNames();
    ExpectKeyword("as");
    if (AcceptKeyword("not")) {
      ExpectKeyword("materialized");
    } else {
      AcceptKeyword("materialized");
    }
    ExpectOperator("(");
    cte.query = ParseQuery();
    ExpectOperator(")");
    ctes.push_back(std::move(cte));
  } while (AcceptOperator(","));
}

void Parser::ParseQueryModifiers(QueryNode& node) {
  if (PeekKeyword("order") && PeekKeyword("by", 1)) {
    int32_t position = Advance().position;
    Advance();
    if (!node.order_by.empty()) {
      ThrowErrorAt(sqlstate::kSyntaxError, position, "multiple ORDER BY clauses not allowed");
    }
    node.order_by = ParseOrderByList();
  }
  bool seen_limit = node.limit != nullptr;
  bool seen_offset = node.offset != nullptr;
  while (true) {
    const Token& token = Peek();
    if (PeekKeyword("limit") || PeekKeyword("fetch")) {
      if (seen_limit) {
        ThrowErrorAt(sqlstate::kSyntaxError, token.position, "multiple LIMIT clauses not allowed");
      }
      seen_limit = true;
      if (AcceptKeyword("limit")) {
        if (!AcceptKeyword("all")) node.limit = ParseExpression();
        continue;
      }
      // FETCH {FIRST | NEXT} [count] {ROW | ROWS} ONLY
      Advance();
      if (!AcceptKeyword("first")) ExpectKeyword("next");
      if (PeekKeyword("row") || PeekKeyword("rows")) {
        node.limit =
            std::make_unique<ConstantExpression>(ConstantKind::kInteger, "1", token.position);
      } else {
        node.limit = ParseExpression();
      }
      if (!AcceptKeyword("row")) ExpectKeyword("rows");
      if (PeekKeyword("with")) Unsupported(Peek(), "FETCH ... WITH TIES");
      ExpectKeyword("only");
    } else if (PeekKeyword("offset")) {
      if (seen_offset) {
        ThrowErrorAt(sqlstate::kSyntaxError, token.position, "multiple OFFSET clauses not allowed");
      }
      seen_offset = true;
      Advance();
      node.offset = ParseExpression();
      if (!AcceptKeyword("row")) AcceptKeyword("rows");
    } else {
      break;
    }
  }
}

std::vector<OrderByItem> Parser::ParseOrderByList() {
  std::vector<OrderByItem> items;
  do {
    OrderByItem item;
    item.expression = ParseExpression();
    if (AcceptKeyword("desc")) {
      item.order = OrderType::kDescending;
    } else {
      AcceptKeyword("asc");
    }
    if (AcceptKeyword("nulls")) {
      if (AcceptKeyword("first")) {
        item.nulls = NullsOrder::kFirst;
      } else {
        ExpectKeyword("last");
        item.nulls = NullsOrder::kLast;
      }
    }
    items.push_back(std::move(item));
  } while (AcceptOperator(","));
  return items;
}

// --- SELECT and VALUES -------------------------------------------------------------

QueryNodePtr Parser::ParseSelectNode() {
  auto node = std::make_unique<SelectNode>(Advance().position);
  if (AcceptKeyword("distinct")) {
    if (PeekKeyword("on")) Unsupported(Peek(), "SELECT DISTINCT ON");
    node->distinct = true;
  } else {
    AcceptKeyword("all");
  }
  ParseSelectList(*node);
  if (PeekKeyword("into")) Unsupported(Peek(), "SELECT INTO");
  if (AcceptKeyword("from")) node->from = ParseFromList();
  if (AcceptKeyword("where")) node->where = ParseExpression();
  if (PeekKeyword("group") && PeekKeyword("by", 1)) {
    Advance();
    Advance();
    ParseGroupBy(node->group_by);
  }
  if (AcceptKeyword("having")) node->having = ParseExpression();
  if (PeekKeyword("window")) Unsupported(Peek(), "the WINDOW clause");
  if (PeekKeyword("qualify")) Unsupported(Peek(), "QUALIFY");
  return node;
}

void Parser::ParseSelectList(SelectNode& node) {
  do {
    SelectItem item;
    const Token& token = Peek();
    bool name_token = token.type == TokenType::kWord || token.type == TokenType::kQuotedIdentifier;
    if (PeekOperator("*")) {
      Advance();
      item.expression = std::make_unique<StarExpression>("", token.position);
    } else if (name_token && PeekOperator(".", 1) && PeekOperator("*", 2)) {
      std::string relation = Advance().text;
      Advance();
      Advance();
      item.expression = std::make_unique<StarExpression>(std::move(relation), token.position);
    } else {
      item.expression = ParseExpression();
      item.alias = ParseOptionalAlias();
    }
    node.select_list.push_back(std::move(item));
  } while (AcceptOperator(","));
}

QueryNodePtr Parser::ParseValuesNode() {
  auto node = std::make_unique<ValuesNode>(Advance().position);
  do {
    int32_t row_position = Peek().position;
    ExpectOperator("(");
    std::vector<ExpressionPtr> row = ParseExpressionList();
    ExpectOperator(")");
    if (!node->rows.empty() && row.size() != node->rows.front().size()) {
      ThrowErrorAt(sqlstate::kSyntaxError, row_position,
                   "VALUES lists must all be the same length");
    }
    node->rows.push_back(std::move(row));
  } while (AcceptOperator(","));
  return node;
}

// --- GROUP BY -------------------------------------------------------------------------

void Parser::ParseGroupBy(GroupByClause& group_by) {
  GroupingBuilder builder{&group_by, {}, true};
  int32_t position = Peek().position;
  std::vector<std::vector<size_t>> sets = {{}};
  do {
    std::vector<std::vector<size_t>> element = ParseGroupingElement(builder);
    if (sets.size() * element.size() > kMaxGroupingSets) {
      ThrowErrorAt(sqlstate::kProgramLimitExceeded, position,
                   "too many grouping sets present (maximum {})", kMaxGroupingSets);
    }
    std::vector<std::vector<size_t>> product;
    product.reserve(sets.size() * element.size());
    for (const auto& left : sets) {
      for (const auto& right : element) product.push_back(UnionOfSets(left, right));
    }
    sets = std::move(product);
  } while (AcceptOperator(","));
  group_by.grouping_sets = std::move(sets);
  group_by.plain = builder.plain;
}

std::vector<std::vector<size_t>> Parser::ParseGroupingElement(GroupingBuilder& builder) {
  const Token& token = Peek();
  bool rollup = PeekKeyword("rollup") && PeekOperator("(", 1);
  bool cube = PeekKeyword("cube") && PeekOperator("(", 1);
  if (rollup || cube) {
    builder.plain = false;
    Advance();
    Advance();
    std::vector<std::vector<size_t>> items;
    do {
      items.push_back(ParseGroupingColumns(builder));
    } while (AcceptOperator(","));
    ExpectOperator(")");
    std::vector<std::vector<size_t>> sets;
    if (rollup) {
      // ROLLUP(a, b, c): (a, b, c), (a, b), (a), ().
      for (size_t n = items.size() + 1; n-- > 0;) {
        std::vector<size_t> set;
        for (size_t i = 0; i < n; ++i) set = UnionOfSets(set, items[i]);
        sets.push_back(std::move(set));
      }
      return sets;
    }
    if (items.size() > kMaxCubeElements) {
      ThrowErrorAt(sqlstate::kProgramLimitExceeded, token.position,
                   "CUBE is limited to {} elements", kMaxCubeElements);
    }
    // CUBE(a, b): every subset, the full one first.
    for (size_t mask = (size_t{1} << items.size()); mask-- > 0;) {
      std::vector<size_t> set;
      for (size_t i = 0; i < items.size(); ++i) {
        if (mask & (size_t{1} << (items.size() - 1 - i))) set = UnionOfSets(set, items[i]);
      }
      sets.push_back(std::move(set));
    }
    return sets;
  }
  if (PeekKeyword("grouping") && PeekKeyword("sets", 1)) {
    builder.plain = false;
    Advance();
    Advance();
    NestingGuard guard(this);
    ExpectOperator("(");
    std::vector<std::vector<size_t>> sets;
    do {
      std::vector<std::vector<size_t>> element = ParseGroupingElement(builder);
      sets.insert(sets.end(), element.begin(), element.end());
      if (sets.size() > kMaxGroupingSets) {
        ThrowErrorAt(sqlstate::kProgramLimitExceeded, token.position,
                     "too many grouping sets present (maximum {})", kMaxGroupingSets);
      }
    } while (AcceptOperator(","));
    ExpectOperator(")");
    return sets;
  }
  // `(a, b)` is one set, inside GROUPING SETS as at the top level (where it
  // groups by a and b, as in PostgreSQL); `()` is the empty set.
  return {ParseGroupingColumns(builder)};
}

std::vector<size_t> Parser::ParseGroupingColumns(GroupingBuilder& builder) {
  auto add = [&builder](ExpressionPtr expression) {
    std::string key = expression->ToString();
    auto it = builder.index_of.find(key);
    if (it != builder.index_of.end()) return it->second;
    size_t index = builder.clause->expressions.size();
    builder.clause->expressions.push_back(std::move(expression));
    builder.index_of.emplace(std::move(key), index);
    return index;
  };

  if (PeekOperator("(")) {
    size_t saved = index_;
    Advance();
    if (AcceptOperator(")")) {
      builder.plain = false;
      return {};
    }
    {
      NestingGuard guard(this);
      std::vector<ExpressionPtr> list = ParseExpressionList();
      if (list.size() > 1) {
        ExpectOperator(")");
        builder.plain = false;
        std::vector<size_t> set;
        for (auto& expression : list) set = UnionOfSets(set, {add(std::move(expression))});
        return set;
      }
    }
    // A single parenthesised item may be the start of a larger expression,
    // `(a + b) * 2`: parse it again as one. Nested parentheses inside are
    // parsed as plain expressions, so this re-reading never compounds.
    index_ = saved;
  }
  return {add(ParseExpression())};
}

// --- FROM -------------------------------------------------------------------------------

TableRefPtr Parser::ParseFromList() {
  TableRefPtr left = ParseTableRef();
  while (AcceptOperator(",")) {
    TableRefPtr right = ParseTableRef();
    int32_t position = left->position;
    left = std::make_unique<JoinRef>(JoinType::kCross, std::move(left), std::move(right), position);
  }
  return left;
}

TableRefPtr Parser::ParseTableRef() {
  TableRefPtr ref = ParseTablePrimary();
  while (PeekKeyword("join") || PeekKeyword("inner") || PeekKeyword("left") ||
         PeekKeyword("right") || PeekKeyword("full") || PeekKeyword("cross") ||
         PeekKeyword("natural")) {
    ref = ParseJoin(std::move(ref));
  }
  return ref;
}

TableRefPtr Parser::ParseJoin(TableRefPtr left) {
  bool natural = AcceptKeyword("natural");
  JoinType type = JoinType::kInner;
  if (PeekKeyword("cross") && !natural) {
    Advance();
    type = JoinType::kCross;
  } else if (AcceptKeyword("inner")) {
    type = JoinType::kInner;
  } else if (AcceptKeyword("left")) {
    type = JoinType::kLeft;
    AcceptKeyword("outer");
  } else if (AcceptKeyword("right")) {
    type = JoinType::kRight;
    AcceptKeyword("outer");
  } else if (AcceptKeyword("full")) {
    type = JoinType::kFull;
    AcceptKeyword("outer");
  }
  ExpectKeyword("join");
  TableRefPtr right = ParseTablePrimary();
  int32_t position = left->position;
  auto join = std::make_unique<JoinRef>(type, std::move(left), std::move(right), position);
  join->natural = natural;
  if (type != JoinType::kCross && !natural) {
    if (AcceptKeyword("on")) {
      join->condition = ParseExpression();
    } else if (AcceptKeyword("using")) {
      join->using_columns = ParseParenthesizedNames();
    } else {
      ErrorAtCurrent();
    }
  }
  return join;
}

TableRefPtr Parser::ParseTablePrimary() {
  const Token& token = Peek();
  if (PeekOperator("(")) return ParseParenthesizedTableRef();
  if (token.type == TokenType::kString) {
    auto ref = std::make_unique<TableFunctionRef>(token.position);
    ref->is_path = true;
    ref->path = Advance().text;
    ParseTableAlias(*ref);
    return ref;
  }
  if (PeekKeyword("lateral")) Unsupported(token, "LATERAL");
  QualifiedName name = ParseQualifiedName();
  TableRefPtr ref;
  if (PeekOperator("(")) {
    auto function_ref = std::make_unique<TableFunctionRef>(token.position);
    function_ref->function =
        ParseFunctionCall(std::move(name.schema), std::move(name.name), token.position, false);
    ref = std::move(function_ref);
  } else {
    auto table = std::make_unique<BaseTableRef>(token.position);
    table->schema = std::move(name.schema);
    table->name = std::move(name.name);
    ref = std::move(table);
  }
  ParseTableAlias(*ref);
  return ref;
}

TableRefPtr Parser::ParseParenthesizedTableRef() {
  NestingGuard guard(this);
  int32_t position = Advance().position;
  TableRefPtr ref;
  if (PeekQueryStart()) {
    QueryNodePtr query = ParseQuery();
    ExpectOperator(")");
    ref = std::make_unique<SubqueryRef>(std::move(query), position);
  } else {
    ref = ParseTableRef();
    ExpectOperator(")");
    // An alias after the parentheses names the whole join; a single table
    // that already has one keeps it.
    if (!ref->alias.empty()) return ref;
  }
  ParseTableAlias(*ref);
  return ref;
}

void Parser::ParseTableAlias(TableRef& ref) {
  std::string alias = ParseOptionalAlias();
  if (alias.empty()) return;
  ref.alias = std::move(alias);
  if (PeekOperator("(")) ref.column_aliases = ParseParenthesizedNames();
}

}  // namespace basalt::sql
