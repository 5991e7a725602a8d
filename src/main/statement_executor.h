// Runs one parsed statement against a database: DDL directly on the catalog,
// queries through bind -> optimize -> fragment -> execute.
#pragma once

#include "main/database.h"
#include "main/database_instance.h"
#include "sql/ast_statement.h"

namespace basalt {

// Throws BasaltError on failure. When `changed` is given, it is set to true
// once the statement has changed the database (data, catalog or settings),
// which Basalt cannot undo. It can be set even when the statement then fails:
// an INSERT whose third batch violates NOT NULL keeps the first two.
// Transaction statements are the Connection's business, not run here.
QueryResult ExecuteStatement(DatabaseInstance& db, const sql::Statement& statement,
                             bool* changed = nullptr);

}  // namespace basalt
