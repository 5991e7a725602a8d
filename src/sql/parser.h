// The SQL front end's entry points. Node types are described in
// ast_statement.h, ast_query.h and ast_expression.h.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "sql/ast_expression.h"
#include "sql/ast_query.h"
#include "sql/ast_statement.h"

namespace basalt::sql {

// Parses a script of one or more statements separated by ';' (empty
// statements are skipped, so "" yields an empty vector). All positions are
// byte offsets into `sql`. Errors are BasaltError with SQLSTATE
//   42601 syntax error: `syntax error at or near "TOKEN"`,
//         `syntax error at end of input`, unterminated literals or comments;
//   54000 `statement is too deeply nested` (more than 1000 levels of
//         parentheses, subqueries or nested operators);
//   0A000 a recognised but unsupported feature (UPDATE, WITH RECURSIVE, ...);
//   42704 `type "foo" does not exist`; 22023 bad type modifiers;
// each with the position of the offending token. Parsing never recurses
// deeper than the nesting limit, so hostile input cannot overflow the stack.
std::vector<std::unique_ptr<Statement>> ParseSql(std::string_view sql);

// Parses `sql` as exactly one expression (no trailing ';'), for tests and for
// callers that store expressions as text. Same errors as ParseSql.
std::unique_ptr<ParsedExpression> ParseSqlExpression(std::string_view sql);

}  // namespace basalt::sql
