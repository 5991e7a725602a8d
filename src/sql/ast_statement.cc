#include "sql/ast_statement.h"

#include "sql/keywords.h"

namespace basalt::sql {

const char* StatementKindName(StatementKind kind) {
  switch (kind) {
    case StatementKind::kSelect:
      return "SELECT";
    case StatementKind::kExplain:
      return "EXPLAIN";
    case StatementKind::kCreateSchema:
      return "CREATE SCHEMA";
    case StatementKind::kCreateTable:
      return "CREATE TABLE";
    case StatementKind::kCreateView:
      return "CREATE VIEW";
    case StatementKind::kDrop:
      return "DROP";
    case StatementKind::kInsert:
      return "INSERT";
    case StatementKind::kCopy:
      return "COPY";
    case StatementKind::kShow:
      return "SHOW";
    case StatementKind::kSet:
      return "SET";
    case StatementKind::kDescribe:
      return "DESCRIBE";
    case StatementKind::kAnalyze:
      return "ANALYZE";
    case StatementKind::kTransaction:
      return "TRANSACTION";
    case StatementKind::kCreateExternalTable:
      return "CREATE EXTERNAL TABLE";
    case StatementKind::kRefresh:
      return "REFRESH";
  }
  return "?";
}

std::string QualifiedName::ToString() const {
  if (schema.empty()) return QuoteIdentifier(name);
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

}  // namespace basalt::sql
