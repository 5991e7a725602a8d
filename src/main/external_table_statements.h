// CREATE EXTERNAL TABLE, REFRESH and INVALIDATE METADATA: tables over files
// read in place (docs/storage.md, "External tables").
#pragma once

#include "main/database.h"
#include "main/statement_executor.h"
#include "sql/ast_statement.h"

namespace basalt {

// Creates the catalog entry (stored in the metadata store with a data
// directory): the declared columns, or those inferred from the files now.
// Declared columns are checked against the files when there are any. The
// files are never written or removed by Basalt.
QueryResult ExecuteCreateExternalTable(StatementContext& ctx,
                                       const sql::CreateExternalTableStatement& statement);

// REFRESH t / INVALIDATE METADATA [t]: an external table without declared
// columns infers them again from its files; one with declared columns has
// nothing cached (files are listed at each query) and is checked against
// its files. A managed or in-memory table: nothing to do. 42P01 for an
// unknown table.
QueryResult ExecuteRefresh(StatementContext& ctx, const sql::RefreshStatement& statement);

}  // namespace basalt
