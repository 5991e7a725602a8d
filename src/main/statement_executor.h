// Runs one parsed statement against a database: DDL directly on the catalog,
// queries through bind -> optimize -> fragment -> execute.
#pragma once

#include "main/database.h"
#include "main/database_instance.h"
#include "plan/statement_parameters.h"
#include "sql/ast_statement.h"

namespace basalt {

class SessionSettings;

// What a statement runs against: the database, and the settings of the
// connection that runs it (SET / SHOW, pg_settings).
struct StatementContext {
  DatabaseInstance& db;
  SessionSettings& settings;
};

// Throws BasaltError on failure. When `changed` is given, it is set to true
// once the statement has changed the database (data or catalog),
// which Basalt cannot undo. It can be set even when the statement then fails:
// an INSERT whose third batch violates NOT NULL keeps the first two.
// Transaction statements are the Connection's business, not run here.
// `parameters` gives the values of $1..$n (extended query protocol).
// Statements that change the catalog or a table's rows (CREATE, DROP,
// INSERT, COPY FROM, ANALYZE, REFRESH, INVALIDATE METADATA): what a
// coordinator of a cluster sends to the catalog service.
bool RunsOnCatalogService(const sql::Statement& statement);

QueryResult ExecuteStatement(StatementContext& ctx, const sql::Statement& statement,
                             bool* changed = nullptr,
                             const StatementParameters* parameters = nullptr);

// What `statement` would return, without running it: for a query the column
// names and types (bound with `parameters`: values, or placeholders while
// describing a prepared statement, whose inferred types then go to
// `parameter_types`, kInvalid where its use does not decide); SHOW, DESCRIBE
// and EXPLAIN only read, so they are run and their rows come too; a command
// describes as returns_rows = false. Throws BasaltError like ExecuteStatement.
QueryResult DescribeStatement(StatementContext& ctx, const sql::Statement& statement,
                              const StatementParameters& parameters,
                              std::vector<LogicalType>* parameter_types);

}  // namespace basalt
