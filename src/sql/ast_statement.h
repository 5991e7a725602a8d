// Parsed statements: what ParseSql returns, one node per statement.
// Same conventions as ast_expression.h and ast_query.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/exception.h"
#include "sql/ast_expression.h"
#include "sql/ast_query.h"

namespace basalt::sql {

enum class StatementKind : uint8_t {
  kSelect,        // SelectStatement
  kExplain,       // ExplainStatement
  kCreateSchema,  // CreateSchemaStatement
  kCreateTable,   // CreateTableStatement
  kCreateView,    // CreateViewStatement
  kDrop,          // DropStatement
  kInsert,        // InsertStatement
  kCopy,          // CopyStatement
  kShow,          // ShowStatement
  kSet,           // SetStatement
  kDescribe,      // DescribeStatement
  kAnalyze,       // AnalyzeStatement
  kTransaction,   // TransactionStatement
  kCreateExternalTable,  // CreateExternalTableStatement
  kRefresh,              // RefreshStatement
};

const char* StatementKindName(StatementKind kind);  // "SELECT", "CREATE TABLE", ...

class Statement {
 public:
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  template <typename T>
  bool Is() const {
    return kind == T::kKind;
  }
  template <typename T>
  T& As() {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T& As() const {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }

  const StatementKind kind;
  int32_t position = 0;  // byte offset of the statement's first token in the whole input
  std::string text;      // the statement's own source text, without the trailing ';'
  // The highest n of the $n parameters in the statement; 0 = none.
  int32_t parameter_count = 0;

 protected:
  explicit Statement(StatementKind kind) : kind(kind) {}
};

using StatementPtr = std::unique_ptr<Statement>;

// [schema.]name of a table, view or schema (for a schema only `name` is set).
struct QualifiedName {
  std::string schema;  // empty when unqualified
  std::string name;
  int32_t position = 0;

  bool empty() const { return name.empty(); }
  std::string ToString() const;  // quoted where needed: s.t, "My Table"
};

// A query: SELECT, VALUES, WITH ..., or a set operation.
class SelectStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kSelect;
  SelectStatement() : Statement(kKind) {}

  QueryNodePtr query;
};

// EXPLAIN [ANALYZE] statement.
class ExplainStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kExplain;
  ExplainStatement() : Statement(kKind) {}

  bool analyze = false;
  StatementPtr statement;  // its own position and text are set
};

// CREATE SCHEMA [IF NOT EXISTS] name.
class CreateSchemaStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kCreateSchema;
  CreateSchemaStatement() : Statement(kKind) {}

  std::string name;
  bool if_not_exists = false;
};

// A column of CREATE TABLE: name type [NOT NULL | NULL] [PRIMARY KEY].
struct ColumnDefinition {
  std::string name;
  TypeName type;
  bool not_null = false;  // NOT NULL written (a primary key column is not null too)
  int32_t position = 0;
};

// CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] [s.]t (columns...)
// [PARTITION BY g(c)], or CREATE ... TABLE t [PARTITION BY g(c)] AS query
// (then columns is empty and query is set).
class CreateTableStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kCreateTable;
  CreateTableStatement() : Statement(kKind) {}

  QualifiedName table;
  bool if_not_exists = false;
  bool or_replace = false;
  bool temporary = false;
  std::vector<ColumnDefinition> columns;
  // Key columns in key order, from `PRIMARY KEY (a, b)` or a column's own
  // PRIMARY KEY; empty when the table has no primary key.
  std::vector<std::string> primary_key;
  QueryNodePtr query;  // CREATE TABLE ... AS query; null otherwise
  // PARTITION BY <granularity>(<column>): both lowercase, empty when absent;
  // the granularity (hour, day, month, year) is checked by the executor.
  std::string partition_granularity;
  std::string partition_column;
  int32_t partition_position = -1;  // of the granularity word
};

// CREATE [OR REPLACE] [TEMP] VIEW [IF NOT EXISTS] [s.]v [(c1, c2)] AS query.
class CreateViewStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kCreateView;
  CreateViewStatement() : Statement(kKind) {}

  QualifiedName view;
  bool or_replace = false;
  bool if_not_exists = false;
  bool temporary = false;
  std::vector<std::string> column_names;  // empty when not given
  QueryNodePtr query;
  std::string query_text;  // the query's source text, to store in the catalog
};

enum class ObjectType : uint8_t { kSchema, kTable, kView };

// DROP SCHEMA|TABLE|VIEW [IF EXISTS] name [, name...] [CASCADE | RESTRICT].
class DropStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kDrop;
  DropStatement() : Statement(kKind) {}

  ObjectType object_type = ObjectType::kTable;
  std::vector<QualifiedName> names;  // schemas: name only
  bool if_exists = false;
  bool cascade = false;  // RESTRICT (the default) leaves it false
};

// INSERT INTO t [(columns)] query, and INSERT OVERWRITE [TABLE] t ... which
// replaces the table's contents. VALUES rows arrive as a ValuesNode query.
class InsertStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kInsert;
  InsertStatement() : Statement(kKind) {}

  QualifiedName table;
  std::vector<std::string> columns;  // empty: all columns in table order
  QueryNodePtr query;
  bool overwrite = false;
};

// One COPY option: `FORMAT csv`, `HEADER`, `HEADER false`, `DELIMITER '|'`.
// value is null when no value was written (HEADER alone). A bare word value
// (csv) becomes a string constant holding the lowercase word; numbers,
// strings and TRUE/FALSE keep their constant kind.
struct CopyOption {
  std::string name;  // lowercase
  std::unique_ptr<ConstantExpression> value;
  int32_t position = 0;
};

// COPY t [(columns)] FROM 'file' [options]      (is_from, table set)
// COPY t [(columns)] TO 'file' [options]        (table set)
// COPY (query) TO 'file' [options]              (query set, table empty)
// Options come from `[WITH] (name value, ...)` or the old bare form
// `[WITH] DELIMITER '|' NULL 'x' CSV HEADER`, where CSV becomes format 'csv'.
class CopyStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kCopy;
  CopyStatement() : Statement(kKind) {}

  bool is_from = false;
  QualifiedName table;
  std::vector<std::string> columns;
  QueryNodePtr query;
  std::string path;
  std::vector<CopyOption> options;
};

// CREATE EXTERNAL TABLE [IF NOT EXISTS] [s.]t [(columns...)]
// STORED AS PARQUET | CSV | JSON LOCATION 'dir, glob or file'
// [WITH | OPTIONS (name value, ...)]: a table over files read in place
// (docs/storage.md, "External tables"). Without columns the schema is
// inferred from the files. Options are parsed like COPY's.
class CreateExternalTableStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kCreateExternalTable;
  CreateExternalTableStatement() : Statement(kKind) {}

  QualifiedName table;
  bool if_not_exists = false;
  std::vector<ColumnDefinition> columns;  // empty: inferred
  std::string format;                     // lowercase word after STORED AS
  int32_t format_position = 0;
  std::string location;
  int32_t location_position = 0;
  std::vector<CopyOption> options;
};

// REFRESH [TABLE] t and INVALIDATE METADATA [t] (Impala): re-reads what an
// external table caches of its files. `table` is empty for a bare
// INVALIDATE METADATA (every table).
class RefreshStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kRefresh;
  RefreshStatement() : Statement(kKind) {}

  QualifiedName table;
  bool invalidate = false;  // spelled INVALIDATE METADATA
};

enum class ShowKind : uint8_t { kTables, kSchemas, kSetting, kStats };

// SHOW TABLES [FROM|IN schema]; SHOW SCHEMAS; SHOW name (a setting, "all"
// for SHOW ALL; dotted names are joined with '.'); SHOW [COLUMN] STATS t (the
// statistics ANALYZE computed).
class ShowStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kShow;
  ShowStatement() : Statement(kKind) {}

  ShowKind show_kind = ShowKind::kSetting;
  std::string schema;  // kTables: empty for the current schema
  std::string name;    // kSetting
  QualifiedName table;  // kStats
};

// SET [SESSION] name {= | TO} value, SET TIME ZONE value (name "timezone"),
// SET name TO DEFAULT and RESET name (value null). A bare word value becomes
// a string constant (SET search_path = main -> 'main'); a list a, b becomes
// the string 'a, b'.
class SetStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kSet;
  SetStatement() : Statement(kKind) {}

  std::string name;                           // lowercase, dotted names joined with '.'
  std::unique_ptr<ConstantExpression> value;  // null: back to the default
};

// DESCRIBE|DESC [TABLE] t, or DESCRIBE query (then table is empty).
class DescribeStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kDescribe;
  DescribeStatement() : Statement(kKind) {}

  QualifiedName table;
  QueryNodePtr query;
};

// ANALYZE [t] or COMPUTE STATS t: gather table statistics. An empty table
// name (bare ANALYZE) means every table.
class AnalyzeStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kAnalyze;
  AnalyzeStatement() : Statement(kKind) {}

  QualifiedName table;
};

enum class TransactionKind : uint8_t { kBegin, kCommit, kRollback };

// BEGIN [TRANSACTION | WORK] and START TRANSACTION (kBegin); COMMIT and END
// [TRANSACTION | WORK] (kCommit); ROLLBACK and ABORT [TRANSACTION | WORK]
// (kRollback). Transaction modes (ISOLATION LEVEL ..., READ ONLY | WRITE,
// [NOT] DEFERRABLE) are accepted and discarded: Basalt has one mode.
class TransactionStatement : public Statement {
 public:
  static constexpr StatementKind kKind = StatementKind::kTransaction;
  TransactionStatement() : Statement(kKind) {}

  TransactionKind transaction_kind = TransactionKind::kBegin;
};

}  // namespace basalt::sql
