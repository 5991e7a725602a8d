// The recursive-descent parser behind ParseSql (parser.h). Internal to
// src/sql: other layers call ParseSql. Its methods are spread over files by
// grammar area:
//   parser.cc             token cursor, script and statement dispatch, utility statements
//   parser_ddl.cc         CREATE / DROP
//   parser_dml.cc         INSERT / COPY
//   parser_select.cc      queries, set operations, GROUP BY, table references
//   parser_expression.cc  operators (precedence climbing) and primary expressions
//   parser_function.cc    function calls, windows, special function syntaxes
//   parser_type.cc        type names and interval literals
//
// Depth: every rule that can recur without consuming a bounded amount of
// input (prefix operators, parenthesised or nested expressions, subqueries,
// parenthesised table references) holds a NestingGuard; the guard throws
// 54000 "statement is too deeply nested" once kMaxNestingDepth are active, or
// earlier if less than kParserStackReserve bytes of the thread's stack are
// left (frames differ by build and threads by stack size), so parsing never
// overflows the stack. Left-associative chains (a + b + c ..., a AND b AND c
// ...) are loops.
//
// One Parser parses one input; it is not thread safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sql/ast_expression.h"
#include "sql/ast_query.h"
#include "sql/ast_statement.h"
#include "sql/token.h"

namespace basalt::sql {

inline constexpr int32_t kMaxNestingDepth = 1000;

// Stack kept free when parsing goes deeper: room for the frames between two
// guards (a few KB even under ASAN) and for throwing the error.
inline constexpr size_t kParserStackReserve = 256 * 1024;

// A bare DECIMAL / NUMERIC means DECIMAL(18,3), as in DuckDB.
inline constexpr uint8_t kDefaultDecimalPrecision = 18;
inline constexpr uint8_t kDefaultDecimalScale = 3;

// GROUP BY being assembled: expressions deduplicated by their ToString().
struct GroupingBuilder {
  GroupByClause* clause;
  std::unordered_map<std::string, size_t> index_of;
  bool plain = true;
};

class Parser {
 public:
  explicit Parser(std::string_view sql);

  std::vector<StatementPtr> ParseScript();
  ExpressionPtr ParseStandaloneExpression();

 private:
  friend class NestingGuard;

  // --- Token cursor (parser.cc) ---
  const Token& Peek(size_t ahead = 0) const;
  const Token& Advance();
  bool AtEnd() const { return Peek().type == TokenType::kEnd; }
  bool PeekKeyword(std::string_view keyword, size_t ahead = 0) const;
  bool AcceptKeyword(std::string_view keyword);
  void ExpectKeyword(std::string_view keyword);
  bool PeekOperator(std::string_view op, size_t ahead = 0) const;
  bool AcceptOperator(std::string_view op);
  void ExpectOperator(std::string_view op);
  // True if the token `ahead` can name something: a quoted identifier or a
  // word that is not reserved.
  bool PeekIdentifier(size_t ahead = 0) const;
  // True if the tokens from `ahead` start a query, looking through any
  // number of '(' (SELECT, WITH, VALUES).
  bool PeekQueryStart(size_t ahead = 0) const;
  [[noreturn]] void ErrorAt(const Token& token) const;
  [[noreturn]] void ErrorAtCurrent() const { ErrorAt(Peek()); }
  [[noreturn]] void Unsupported(const Token& token, std::string_view what) const;
  // 54000 at the current token. Out of line (like the two above) so that the
  // formatting code stays out of the frames of recursive rules.
  [[noreturn]] void ThrowTooDeeplyNested() const;
  // Source text from `begin` to the end of the last consumed token.
  std::string TextSince(int32_t begin) const;

  // A column, table, schema or alias name (non-reserved word or quoted).
  std::string ParseIdentifier();
  // After AS and '.', where PostgreSQL accepts any keyword as a name.
  std::string ParseLabel();
  QualifiedName ParseQualifiedName();
  // ( name, name, ... )
  std::vector<std::string> ParseParenthesizedNames();
  // Optional [AS] alias, where an alias without AS must not be a keyword
  // that could continue the clause. Returns "" when there is none.
  std::string ParseOptionalAlias();

  // --- Statements (parser.cc, parser_ddl.cc, parser_dml.cc) ---
  // One statement with its position and text set.
  StatementPtr ParseStatement();
  StatementPtr DispatchStatement();
  bool ParseIfNotExists();
  bool ParseIfExists();
  StatementPtr ParseSelectStatement();
  StatementPtr ParseExplain();
  StatementPtr ParseShow();
  StatementPtr ParseSet();
  StatementPtr ParseReset();
  StatementPtr ParseDescribe();
  StatementPtr ParseAnalyze();
  StatementPtr ParseTransaction();
  void ParseTransactionModes();
  StatementPtr ParseCreate();
  StatementPtr ParseCreateTable(bool or_replace, bool temporary);
  void ParseTableElements(CreateTableStatement& create);
  void ParsePartitionBy(CreateTableStatement& create);
  StatementPtr ParseCreateView(bool or_replace, bool temporary);
  StatementPtr ParseCreateExternalTable();
  void ParseOptionList(std::vector<CopyOption>& options);
  StatementPtr ParseRefresh();
  StatementPtr ParseDrop();
  StatementPtr ParseInsert();
  StatementPtr ParseCopy();
  void ParseCopyOptions(CopyStatement& copy);
  std::unique_ptr<ConstantExpression> ParseOptionValue();

  // --- Queries and table references (parser_select.cc) ---
  QueryNodePtr ParseQuery();
  QueryNodePtr ParseSetOperations(int min_precedence);
  QueryNodePtr ParseQueryTerm();
  QueryNodePtr ParseSetOperationsAfter(QueryNodePtr left, int min_precedence);
  QueryNodePtr ParseParenthesizedQueryRest(QueryNodePtr inner);
  void ParseWith(std::vector<CommonTableExpression>& ctes);
  void ParseQueryModifiers(QueryNode& node);
  QueryNodePtr ParseSelectNode();
  QueryNodePtr ParseValuesNode();
  void ParseSelectList(SelectNode& node);
  void ParseGroupBy(GroupByClause& group_by);
  // Grouping sets, as index lists into `builder`'s clause, for one element
  // of a GROUP BY list.
  std::vector<std::vector<size_t>> ParseGroupingElement(GroupingBuilder& builder);
  // `(a, b)`, `()` or a single expression inside ROLLUP / CUBE / GROUPING SETS.
  std::vector<size_t> ParseGroupingColumns(GroupingBuilder& builder);
  bool PeekQueryContinuation() const;
  std::vector<OrderByItem> ParseOrderByList();
  TableRefPtr ParseFromList();
  TableRefPtr ParseTableRef();
  TableRefPtr ParseTablePrimary();
  TableRefPtr ParseParenthesizedTableRef();
  TableRefPtr ParseJoin(TableRefPtr left);
  void ParseTableAlias(TableRef& ref);

  // --- Expressions (parser_expression.cc) ---
  ExpressionPtr ParseExpression(int min_precedence = 0);
  // Rules on the recursive path (ParseExpression, ParsePrefix, ParsePrimary,
  // ParseWordPrimary, ParseParenthesized) only dispatch; the work of each
  // case lives in its own function so that these frames stay small.
  ExpressionPtr ParsePrefix();
  ExpressionPtr ParseNot();
  ExpressionPtr ParseSign();
  ExpressionPtr ParsePrimary();
  ExpressionPtr ParseParameter();
  ExpressionPtr ParseWordPrimary();
  ExpressionPtr ParseKeywordConstant();
  ExpressionPtr ParseCurrentDateTime();
  ExpressionPtr ParseConstant();
  ExpressionPtr ParseParenthesized();
  ExpressionPtr FinishParenthesizedSubquery(QueryNodePtr query, int32_t position);
  ExpressionPtr ContinueParenthesizedQuery(ExpressionPtr first, int32_t position);
  ExpressionPtr ParseNameOrFunction();
  ExpressionPtr ParseCase();
  ExpressionPtr ParseCast();
  ExpressionPtr ParseExists();
  ExpressionPtr ParseTypedLiteral();
  // Infix and postfix operators: each replaces `operand` (whose text starts
  // at byte `start`) by the operator applied to it. In/out parameters keep
  // unique_ptr temporaries out of ParseExpression's frame.
  void ParseConjunction(ExpressionPtr& operand, int32_t start);
  void ParseComparison(ExpressionPtr& operand, int32_t start);
  void ParseIs(ExpressionPtr& operand, int32_t start);
  void ParsePattern(ExpressionPtr& operand, int32_t start);
  void ParseIn(ExpressionPtr& operand, bool negated, int32_t start);
  void ParseArithmetic(ExpressionPtr& operand, int32_t start);
  void ParseCastSuffix(ExpressionPtr& operand, int32_t start);
  // ~ !~ ~* !~*, OPERATOR(schema.op) and COLLATE (parser_operator.cc).
  void ParseRegexMatch(ExpressionPtr& operand, int32_t start);
  void ParseOperatorCall(ExpressionPtr& operand, int32_t start);
  void ParseCollate(ExpressionPtr& operand);
  // Arrays (parser_array.cc): a[i], ARRAY(SELECT ...), x op ANY|ALL (array).
  void ParseSubscript(ExpressionPtr& operand, int32_t start);
  ExpressionPtr ParseArraySubquery();
  void ParseArrayComparison(ExpressionPtr& operand, ComparisonOperator op, bool any, int32_t start);
  std::vector<ExpressionPtr> ParseExpressionList();

  // --- Functions (parser_function.cc) ---
  std::unique_ptr<FunctionCallExpression> ParseFunctionCall(std::string schema, std::string name,
                                                            int32_t position, bool allow_window);
  void ParseFunctionArguments(FunctionCallExpression& call);
  std::unique_ptr<WindowSpec> ParseWindowSpec();
  FrameBound ParseFrameBound();
  ExpressionPtr ParseSpecialFunction();
  ExpressionPtr ParseExtract(int32_t position);
  ExpressionPtr ParseSubstring(int32_t position);
  ExpressionPtr ParsePosition(int32_t position);
  ExpressionPtr ParseTrim(int32_t position);

  // --- Types and intervals (parser_type.cc) ---
  TypeName ParseTypeName();
  int32_t ParseTypeModifier();
  // regclass, oid, name, ...: sets *result and returns true for them.
  bool ParseCatalogTypeName(const std::string& name, int32_t position, TypeName* result);
  // `type[]`: an array, kept in its text form (parser_array.cc).
  void ParseArrayTypeSuffix(TypeName* type);
  // Lists and structs (parser_array.cc): [a, b], {'f': v}, STRUCT(f type),
  // and a column's type, where type[] is a LIST rather than catalog text.
  ExpressionPtr ParseListLiteral();
  ExpressionPtr ParseStructLiteral();
  TypeName ParseStructTypeName(int32_t position);
  TypeName ParseColumnTypeName();
  void PackStructArguments(FunctionCallExpression& call);
  ExpressionPtr ParseInterval();

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t index_ = 0;
  int32_t depth_ = 0;
  int32_t last_end_ = 0;  // end of the last consumed token
  int32_t max_parameter_ = 0;  // highest $n in the statement being parsed
};

// Counts one level of nesting for as long as it lives.
class NestingGuard {
 public:
  explicit NestingGuard(Parser* parser);
  ~NestingGuard() { --parser_->depth_; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

 private:
  Parser* parser_;
};

}  // namespace basalt::sql
