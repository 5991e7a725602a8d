// Helpers shared by the src/sql unit tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/exception.h"
#include "sql/parser.h"

namespace basalt::sql::sql_test {

// Parses `sql`, which must hold exactly one statement.
inline std::unique_ptr<Statement> ParseOne(std::string_view sql) {
  auto statements = ParseSql(sql);
  EXPECT_EQ(statements.size(), 1u) << sql;
  if (statements.size() != 1) throw std::runtime_error("expected one statement");
  return std::move(statements[0]);
}

// The query of a SELECT statement.
inline QueryNodePtr ParseQueryText(std::string_view sql) {
  auto statement = ParseOne(sql);
  return std::move(statement->As<SelectStatement>().query);
}

// The select node of a plain SELECT statement.
inline std::unique_ptr<SelectNode> ParseSelectText(std::string_view sql) {
  QueryNodePtr query = ParseQueryText(sql);
  EXPECT_TRUE(query->Is<SelectNode>()) << sql;
  return std::unique_ptr<SelectNode>(static_cast<SelectNode*>(query.release()));
}

// Canonical text of one parsed expression.
inline std::string Canonical(std::string_view sql) { return ParseSqlExpression(sql)->ToString(); }

struct ErrorInfo {
  std::string code;
  std::string message;
  int32_t position = kNoPosition;
};

// The error ParseSql raises for `sql`; fails the test if there is none.
inline ErrorInfo ParseError(std::string_view sql) {
  try {
    ParseSql(sql);
  } catch (const BasaltError& e) {
    return ErrorInfo{e.code(), e.what(), e.position()};
  }
  ADD_FAILURE() << "expected an error for: " << sql;
  return {};
}

}  // namespace basalt::sql::sql_test
