// ANALYZE (alias COMPUTE STATS) and SHOW STATS: computing, storing and showing
// table statistics (catalog/table_statistics.h; docs/optimizer.md, Statistics).
#pragma once

#include "main/database.h"
#include "main/statement_executor.h"
#include "sql/ast_statement.h"

namespace basalt {

// ANALYZE t scans t through the engine (every worker) and stores its
// statistics: in the metadata store when the database has a data directory,
// and on the table's catalog entry; the table's distinct-value sketches are
// replaced by the ones the scan computed. A bare ANALYZE does so for every
// table of every schema. 42P01 for an unknown table, 42809 for a view.
QueryResult ExecuteAnalyze(StatementContext& ctx, const sql::AnalyzeStatement& statement);

// SHOW STATS t: one row per column of t (column_name, type, distinct_count,
// null_count, min, max, row_count, analyzed_at). Before any ANALYZE the
// statistics are NULL and row_count is the live row count.
QueryResult ExecuteShowStats(StatementContext& ctx, const sql::ShowStatement& statement);

}  // namespace basalt
