// CREATE and DROP statements.
#include <algorithm>
#include <array>
#include <string>

#include "common/exception.h"
#include "sql/keywords.h"
#include "sql/parser_impl.h"

namespace basalt::sql {
namespace {

// Objects PostgreSQL or DuckDB can create or drop that Basalt does not have.
constexpr std::array kUnsupportedObjects = std::to_array<std::string_view>({
    "database",
    "extension",
    "function",
    "index",
    "macro",
    "materialized",
    "role",
    "secret",
    "sequence",
    "trigger",
    "type",
    "unique",
    "user",
});

bool IsUnsupportedObject(std::string_view word) {
  return std::find(kUnsupportedObjects.begin(), kUnsupportedObjects.end(), word) !=
         kUnsupportedObjects.end();
}

// PostgreSQL's SQLSTATE for an invalid table definition.
constexpr const char* kInvalidTableDefinition = "42P16";

}  // namespace

StatementPtr Parser::ParseCreate() {
  Advance();
  bool or_replace = false;
  if (AcceptKeyword("or")) {
    ExpectKeyword("replace");
    or_replace = true;
  }
  bool temporary = AcceptKeyword("temp") || AcceptKeyword("temporary");
  if (PeekKeyword("external") && PeekKeyword("table", 1) && !or_replace && !temporary) {
    return ParseCreateExternalTable();
  }
  if (PeekKeyword("table")) return ParseCreateTable(or_replace, temporary);
  if (PeekKeyword("view")) return ParseCreateView(or_replace, temporary);
  if (PeekKeyword("schema") && !or_replace && !temporary) {
    Advance();
    auto statement = std::make_unique<CreateSchemaStatement>();
    statement->if_not_exists = ParseIfNotExists();
    statement->name = ParseIdentifier();
    return statement;
  }
  if (Peek().type == TokenType::kWord && IsUnsupportedObject(Peek().text)) {
    Unsupported(Peek(), "CREATE " + ToUpperAscii(Peek().text));
  }
  ErrorAtCurrent();
}

StatementPtr Parser::ParseCreateTable(bool or_replace, bool temporary) {
  Advance();
  auto statement = std::make_unique<CreateTableStatement>();
  statement->or_replace = or_replace;
  statement->temporary = temporary;
  const Token& if_token = Peek();
  statement->if_not_exists = ParseIfNotExists();
  if (or_replace && statement->if_not_exists) {
    ThrowErrorAt(sqlstate::kSyntaxError, if_token.position,
                 "OR REPLACE and IF NOT EXISTS cannot be used together");
  }
  statement->table = ParseQualifiedName();
  if (PeekOperator("(")) {
    ParseTableElements(*statement);
    ParsePartitionBy(*statement);
  } else {
    ParsePartitionBy(*statement);
    if (!AcceptKeyword("as")) ErrorAtCurrent();
    statement->query = ParseQuery();
  }
  return statement;
}

// [PARTITION BY granularity(column)]
void Parser::ParsePartitionBy(CreateTableStatement& create) {
  if (!PeekKeyword("partition")) return;
  Advance();
  ExpectKeyword("by");
  const Token& granularity = Peek();
  if (granularity.type != TokenType::kWord) ErrorAtCurrent();
  create.partition_position = granularity.position;
  create.partition_granularity = granularity.text;  // words are folded to lowercase
  Advance();
  ExpectOperator("(");
  create.partition_column = ParseIdentifier();
  ExpectOperator(")");
}

void Parser::ParseTableElements(CreateTableStatement& create) {
  auto set_primary_key = [&](std::vector<std::string> columns, int32_t position) {
    if (!create.primary_key.empty()) {
      ThrowErrorAt(kInvalidTableDefinition, position,
                   "multiple primary keys for table \"{}\" are not allowed", create.table.name);
    }
    create.primary_key = std::move(columns);
  };

  ExpectOperator("(");
  do {
    const Token& first = Peek();
    if (PeekKeyword("primary")) {
      Advance();
      ExpectKeyword("key");
      set_primary_key(ParseParenthesizedNames(), first.position);
      continue;
    }
    if (PeekKeyword("constraint") || PeekKeyword("unique") || PeekKeyword("check") ||
        PeekKeyword("foreign") || PeekKeyword("exclude")) {
      Unsupported(first, "table constraint " + ToUpperAscii(first.text));
    }
    ColumnDefinition column;
    column.position = first.position;
    column.name = ParseIdentifier();
    column.type = ParseColumnTypeName();
    bool saw_null = false;
    while (true) {
      const Token& token = Peek();
      if (PeekKeyword("not") && PeekKeyword("null", 1)) {
        Advance();
        Advance();
        if (saw_null) {
          ThrowErrorAt(sqlstate::kSyntaxError, token.position,
                       "conflicting NULL/NOT NULL declarations for column \"{}\"", column.name);
        }
        column.not_null = true;
      } else if (PeekKeyword("null")) {
        Advance();
        if (column.not_null) {
          ThrowErrorAt(sqlstate::kSyntaxError, token.position,
                       "conflicting NULL/NOT NULL declarations for column \"{}\"", column.name);
        }
        saw_null = true;
      } else if (PeekKeyword("primary")) {
        Advance();
        ExpectKeyword("key");
        set_primary_key({column.name}, token.position);
      } else if (PeekKeyword("default") || PeekKeyword("unique") || PeekKeyword("check") ||
                 PeekKeyword("references") || PeekKeyword("constraint") || PeekKeyword("collate") ||
                 PeekKeyword("generated")) {
        Unsupported(token, "column constraint " + ToUpperAscii(token.text));
      } else {
        break;
      }
    }
    create.columns.push_back(std::move(column));
  } while (AcceptOperator(","));
  ExpectOperator(")");
}

// EXTERNAL TABLE [IF NOT EXISTS] name [(columns)] STORED AS format
// LOCATION 'path' [WITH | OPTIONS (name value, ...)]
StatementPtr Parser::ParseCreateExternalTable() {
  Advance();
  Advance();
  auto statement = std::make_unique<CreateExternalTableStatement>();
  statement->if_not_exists = ParseIfNotExists();
  statement->table = ParseQualifiedName();
  if (PeekOperator("(")) {
    // Only names and types: the files, not Basalt, hold the rows, so there
    // is nothing a constraint could be checked against.
    CreateTableStatement columns;
    columns.table = statement->table;
    ParseTableElements(columns);
    if (!columns.primary_key.empty()) {
      Unsupported(Peek(), "PRIMARY KEY on an external table");
    }
    for (const auto& column : columns.columns) {
      if (column.not_null) {
        ThrowErrorAt(sqlstate::kFeatureNotSupported, column.position,
                     "NOT NULL is not supported on a column of an external table");
      }
    }
    statement->columns = std::move(columns.columns);
  }
  ExpectKeyword("stored");
  ExpectKeyword("as");
  const Token& format = Peek();
  if (format.type != TokenType::kWord) ErrorAtCurrent();
  statement->format = format.text;  // words are folded to lowercase
  statement->format_position = format.position;
  Advance();
  ExpectKeyword("location");
  const Token& location = Peek();
  if (location.type != TokenType::kString) ErrorAtCurrent();
  statement->location = location.text;
  statement->location_position = location.position;
  Advance();
  if (AcceptKeyword("with") || AcceptKeyword("options")) {
    ParseOptionList(statement->options);
  }
  return statement;
}

// (name [value], ...): COPY's option list, shared by CREATE EXTERNAL TABLE.
void Parser::ParseOptionList(std::vector<CopyOption>& options) {
  ExpectOperator("(");
  do {
    CopyOption option;
    option.position = Peek().position;
    option.name = ParseLabel();
    if (!PeekOperator(",") && !PeekOperator(")")) option.value = ParseOptionValue();
    options.push_back(std::move(option));
  } while (AcceptOperator(","));
  ExpectOperator(")");
}

// REFRESH [TABLE] name; INVALIDATE METADATA [name].
StatementPtr Parser::ParseRefresh() {
  const Token& first = Advance();
  auto statement = std::make_unique<RefreshStatement>();
  if (first.text == "invalidate") {
    ExpectKeyword("metadata");
    statement->invalidate = true;
    if (PeekIdentifier()) statement->table = ParseQualifiedName();
    return statement;
  }
  if (PeekKeyword("materialized")) Unsupported(Peek(), "REFRESH MATERIALIZED VIEW");
  AcceptKeyword("table");
  statement->table = ParseQualifiedName();
  return statement;
}

StatementPtr Parser::ParseCreateView(bool or_replace, bool temporary) {
  Advance();
  auto statement = std::make_unique<CreateViewStatement>();
  statement->or_replace = or_replace;
  statement->temporary = temporary;
  const Token& if_token = Peek();
  statement->if_not_exists = ParseIfNotExists();
  if (or_replace && statement->if_not_exists) {
    ThrowErrorAt(sqlstate::kSyntaxError, if_token.position,
                 "OR REPLACE and IF NOT EXISTS cannot be used together");
  }
  statement->view = ParseQualifiedName();
  if (PeekOperator("(")) statement->column_names = ParseParenthesizedNames();
  ExpectKeyword("as");
  int32_t query_start = Peek().position;
  statement->query = ParseQuery();
  statement->query_text = TextSince(query_start);
  return statement;
}

StatementPtr Parser::ParseDrop() {
  Advance();
  auto statement = std::make_unique<DropStatement>();
  const Token& kind = Peek();
  if (AcceptKeyword("schema")) {
    statement->object_type = ObjectType::kSchema;
  } else if (AcceptKeyword("table")) {
    statement->object_type = ObjectType::kTable;
  } else if (AcceptKeyword("view")) {
    statement->object_type = ObjectType::kView;
  } else if (kind.type == TokenType::kWord && IsUnsupportedObject(kind.text)) {
    Unsupported(kind, "DROP " + ToUpperAscii(kind.text));
  } else {
    ErrorAt(kind);
  }
  statement->if_exists = ParseIfExists();
  do {
    if (statement->object_type == ObjectType::kSchema) {
      QualifiedName name;
      name.position = Peek().position;
      name.name = ParseIdentifier();
      statement->names.push_back(std::move(name));
    } else {
      statement->names.push_back(ParseQualifiedName());
    }
  } while (AcceptOperator(","));
  if (AcceptKeyword("cascade")) {
    statement->cascade = true;
  } else {
    AcceptKeyword("restrict");
  }
  return statement;
}

}  // namespace basalt::sql
