// The extended query protocol of PgSession: Parse, Bind, Describe, Execute,
// Close and Sync (see docs/server.md). A prepared statement is parsed and
// described once; a portal binds values to it and runs at its first Execute,
// keeping the rows so that an Execute with a row limit can be continued.
#include <fmt/format.h>

#include "common/exception.h"
#include "common/pg_types.h"
#include "server/pg_binary.h"
#include "server/pg_session.h"
#include "server/server_log.h"

namespace basalt {

namespace {

std::string Quoted(const std::string& name) { return name.empty() ? "(unnamed)" : name; }

// Whether two results have the same columns as a client sees them: count and
// type OIDs (a DECIMAL's precision and scale may follow the bound values).
bool SameWireTypes(const QueryResult& a, const QueryResult& b) {
  if (a.returns_rows != b.returns_rows || a.column_types.size() != b.column_types.size()) {
    return false;
  }
  for (size_t i = 0; i < a.column_types.size(); ++i) {
    if (PgTypeOf(a.column_types[i]).oid != PgTypeOf(b.column_types[i]).oid) return false;
  }
  return true;
}

}  // namespace

bool PgSession::HandleParse(const WireMessage& message) {
  ParseMessage parse;
  std::string error = DecodeParse(message.body, &parse);
  if (!error.empty()) {
    AppendError(sqlstate::kProtocolViolation, error, -1);
    return false;
  }
  if (!parse.statement_name.empty() && statements_.count(parse.statement_name)) {
    AppendError(sqlstate::kDuplicatePreparedStatement,
                fmt::format("prepared statement \"{}\" already exists", parse.statement_name), -1);
    return false;
  }
  std::vector<LogicalType> declared;
  for (int32_t oid : parse.parameter_type_oids) {
    LogicalType type;
    if (!LogicalTypeOfPgOid(oid, &type)) {
      AppendError(sqlstate::kFeatureNotSupported,
                  fmt::format("parameter type with OID {} is not supported", oid), -1);
      return false;
    }
    declared.push_back(type);
  }
  auto prepared = std::make_shared<PreparedStatement>();
  QueryResult result = connection_.Prepare(parse.query, declared, prepared.get());
  if (!result.ok) {
    AppendErrorResult(result, parse.query);
    return false;
  }
  statements_[parse.statement_name] = {std::move(prepared), parse.parameter_type_oids};
  out_.BeginMessage('1');  // ParseComplete
  out_.EndMessage();
  return true;
}

bool PgSession::HandleBind(const WireMessage& message) {
  BindMessage bind;
  std::string error = DecodeBind(message.body, &bind);
  if (!error.empty()) {
    AppendError(sqlstate::kProtocolViolation, error, -1);
    return false;
  }
  auto statement = statements_.find(bind.statement_name);
  if (statement == statements_.end()) {
    AppendError(sqlstate::kInvalidSqlStatementName,
                fmt::format("prepared statement \"{}\" does not exist", bind.statement_name), -1);
    return false;
  }
  const PreparedStatement& prepared = *statement->second.prepared;
  if (!bind.portal_name.empty() && portals_.count(bind.portal_name)) {
    AppendError(sqlstate::kDuplicateCursor,
                fmt::format("portal \"{}\" already exists", bind.portal_name), -1);
    return false;
  }
  if (bind.parameter_values.size() != prepared.parameter_types.size()) {
    AppendError(sqlstate::kProtocolViolation,
                fmt::format("bind message supplies {} parameters, but prepared statement \"{}\" "
                            "requires {}",
                            bind.parameter_values.size(), bind.statement_name,
                            prepared.parameter_types.size()),
                -1);
    return false;
  }
  Portal portal;
  portal.statement = statement->second.prepared;
  portal.result_format_codes = bind.result_formats;
  try {
    for (size_t i = 0; i < bind.parameter_values.size(); ++i) {
      portal.values.push_back(PgParameterValue(bind.parameter_values[i], bind.parameter_formats[i],
                                               prepared.parameter_types[i],
                                               static_cast<int>(i + 1)));
    }
  } catch (const BasaltError& e) {
    AppendError(e.code(), e.what(), -1);
    return false;
  }
  portals_[bind.portal_name] = std::move(portal);
  out_.BeginMessage('2');  // BindComplete
  out_.EndMessage();
  return true;
}

bool PgSession::HandleDescribe(const WireMessage& message) {
  DescribeOrCloseMessage describe;
  std::string error = DecodeDescribeOrClose(message.body, &describe);
  if (!error.empty()) {
    AppendError(sqlstate::kProtocolViolation, error, -1);
    return false;
  }
  if (describe.target == 'S') {
    auto it = statements_.find(describe.name);
    if (it == statements_.end()) {
      AppendError(sqlstate::kInvalidSqlStatementName,
                  fmt::format("prepared statement \"{}\" does not exist", describe.name), -1);
      return false;
    }
    const PreparedStatement& prepared = *it->second.prepared;
    const std::vector<int32_t>& declared = it->second.declared_oids;
    if (!prepared.description.ok) {
      AppendErrorResult(prepared.description, prepared.sql);
      return false;
    }
    out_.BeginMessage('t');  // ParameterDescription
    out_.AddInt16(static_cast<int16_t>(prepared.parameter_types.size()));
    for (size_t i = 0; i < prepared.parameter_types.size(); ++i) {
      const LogicalType& type = prepared.parameter_types[i];
      if (i < declared.size() && declared[i] != 0 && declared[i] != pg_oid::kUnknown) {
        out_.AddInt32(declared[i]);
      } else {
        // A parameter whose type nothing decided is sent as text.
        out_.AddInt32(type.id() == TypeId::kInvalid ? pg_oid::kText : PgTypeOf(type).oid);
      }
    }
    out_.EndMessage();
    // The result formats are not known before Bind: text until then.
    std::vector<PgFormat> formats(prepared.description.column_names.size(), PgFormat::kText);
    AppendRowDescription(prepared.description, formats);
    return true;
  }
  auto it = portals_.find(describe.name);
  if (it == portals_.end()) {
    AppendError(sqlstate::kInvalidCursorName,
                fmt::format("portal \"{}\" does not exist", Quoted(describe.name)), -1);
    return false;
  }
  Portal& portal = it->second;
  if (!portal.described) {
    // Without parameters the statement's own description holds; with them
    // the values may decide a type (a NUMERIC's scale), so bind them in.
    const PreparedStatement& prepared = *portal.statement;
    portal.description = prepared.parameter_types.empty() && prepared.description.ok
                             ? prepared.description
                             : connection_.Describe(prepared, portal.values);
    portal.described = true;
  }
  if (!portal.description.ok) {
    AppendErrorResult(portal.description, portal.statement->sql);
    return false;
  }
  error = ExpandResultFormats(portal.result_format_codes, portal.description.column_names.size(),
                              &portal.result_formats);
  if (!error.empty()) {
    AppendError(sqlstate::kProtocolViolation, error, -1);
    return false;
  }
  AppendRowDescription(portal.description, portal.result_formats);
  return true;
}

bool PgSession::HandleExecute(const WireMessage& message) {
  ExecuteMessage execute;
  std::string error = DecodeExecute(message.body, &execute);
  if (!error.empty()) {
    AppendError(sqlstate::kProtocolViolation, error, -1);
    return false;
  }
  auto it = portals_.find(execute.portal_name);
  if (it == portals_.end()) {
    AppendError(sqlstate::kInvalidCursorName,
                fmt::format("portal \"{}\" does not exist", Quoted(execute.portal_name)), -1);
    return false;
  }
  Portal& portal = it->second;
  if (!portal.statement->statement) {
    out_.BeginMessage('I');  // EmptyQueryResponse
    out_.EndMessage();
    return true;
  }
  if (!portal.executed) {
    portal.result = connection_.ExecutePrepared(*portal.statement, portal.values);
    portal.executed = true;
    AppendNotices(portal.result);
  }
  // A portal that failed stays failed: a later Execute (inside a transaction
  // block the portal outlives Sync) repeats the error.
  const QueryResult& result = portal.result;
  if (!result.ok) {
    AppendErrorResult(result, portal.statement->sql);
    return false;
  }
  if (!result.returns_rows) {
    out_.BeginMessage('C');
    out_.AddCString(result.tag);
    out_.EndMessage();
    return true;
  }
  // The client decodes rows by the RowDescription it was sent; if the
  // statement's columns changed since (DDL after Parse), say so rather than
  // send rows it would misread.
  const QueryResult& described =
      portal.described ? portal.description : portal.statement->description;
  if (described.ok && !SameWireTypes(described, result)) {
    AppendError(sqlstate::kFeatureNotSupported, "cached plan must not change result type", -1);
    return false;
  }
  error = ExpandResultFormats(portal.result_format_codes, result.column_names.size(),
                              &portal.result_formats);
  if (!error.empty()) {
    AppendError(sqlstate::kProtocolViolation, error, -1);
    return false;
  }
  size_t first = portal.next_row;
  if (!AppendDataRows(result, portal.result_formats, static_cast<size_t>(execute.max_rows),
                      &portal.next_row)) {
    return true;  // the client is gone; the session ends at the next read
  }
  if (portal.next_row < result.RowCount()) {
    out_.BeginMessage('s');  // PortalSuspended: Execute again for more
    out_.EndMessage();
    return true;
  }
  out_.BeginMessage('C');
  // A query's tag counts the rows this Execute returned, as in PostgreSQL.
  std::string tag = result.tag;
  if (tag.starts_with("SELECT")) tag = fmt::format("SELECT {}", portal.next_row - first);
  out_.AddCString(tag);
  out_.EndMessage();
  return true;
}

bool PgSession::HandleClose(const WireMessage& message) {
  DescribeOrCloseMessage close;
  std::string error = DecodeDescribeOrClose(message.body, &close);
  if (!error.empty()) {
    AppendError(sqlstate::kProtocolViolation, error, -1);
    return false;
  }
  // Closing what does not exist is not an error.
  if (close.target == 'S') {
    statements_.erase(close.name);
  } else {
    portals_.erase(close.name);
  }
  out_.BeginMessage('3');  // CloseComplete
  out_.EndMessage();
  return true;
}

void PgSession::HandleSync() {
  skip_until_sync_ = false;
  AppendReadyForQuery();
}

void PgSession::AppendRowDescription(const QueryResult& result,
                                     const std::vector<PgFormat>& formats) {
  if (!result.returns_rows) {
    out_.BeginMessage('n');  // NoData
    out_.EndMessage();
    return;
  }
  out_.BeginMessage('T');
  out_.AddInt16(static_cast<int16_t>(result.column_names.size()));
  for (size_t i = 0; i < result.column_names.size(); ++i) {
    PgTypeInfo type = PgTypeOf(result.column_types[i]);
    out_.AddCString(result.column_names[i]);
    out_.AddInt32(0);  // not a table column
    out_.AddInt16(0);
    out_.AddInt32(type.oid);
    out_.AddInt16(type.length);
    out_.AddInt32(type.modifier);
    out_.AddInt16(static_cast<int16_t>(formats[i]));
  }
  out_.EndMessage();
}

}  // namespace basalt
