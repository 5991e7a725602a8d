// Runs one parsed statement against a database: DDL directly on the catalog,
// queries through bind -> optimize -> fragment -> execute.
#pragma once

#include "main/database.h"
#include "main/database_instance.h"
#include "sql/ast_statement.h"

namespace basalt {

// Throws BasaltError on failure.
QueryResult ExecuteStatement(DatabaseInstance& db, const sql::Statement& statement);

}  // namespace basalt
