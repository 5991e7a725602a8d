#include "shell/remote_session.h"

#include <fmt/format.h>
#include <httplib.h>
#include <libpq-fe.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "shell/progress_bar.h"
#include "sql/source_position.h"

namespace basalt {

namespace {

// SQLSTATEs for failures libpq reports itself, which carry none.
constexpr const char* kConnectionFailure = "08006";
constexpr const char* kConnectionDoesNotExist = "08003";
constexpr const char* kFeatureNotSupported = "0A000";

std::string TrimTrailingNewlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string FirstLine(const std::string& text) {
  return TrimTrailingNewlines(text.substr(0, text.find('\n')));
}

QueryResult ErrorResult(std::string code, std::string message) {
  QueryResult result;
  result.ok = false;
  result.error_code = std::move(code);
  result.error_message = std::move(message);
  return result;
}

QueryResult ConvertError(const PGresult* pg, PGconn* connection, std::string_view sql) {
  const char* code = PQresultErrorField(pg, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(pg, PG_DIAG_MESSAGE_PRIMARY);
  if (code == nullptr || primary == nullptr) {
    // libpq's own failure (the connection went away). Its first line says
    // what happened; the rest ("This probably means ...") is speculation.
    std::string message = PQresultErrorMessage(pg);
    if (message.empty()) message = PQerrorMessage(connection);
    return ErrorResult(code != nullptr ? code : kConnectionFailure, FirstLine(message));
  }
  QueryResult result = ErrorResult(code, primary);
  if (const char* position = PQresultErrorField(pg, PG_DIAG_STATEMENT_POSITION)) {
    long character = std::strtol(position, nullptr, 10);
    // ErrorResponse counts characters from 1; QueryResult counts bytes from 0.
    if (character > 0) result.error_position = sql::ByteOffsetOfCharacter(sql, character);
  }
  return result;
}

QueryResult ConvertRows(const PGresult* pg) {
  QueryResult result;
  result.returns_rows = true;
  result.tag = PQcmdStatus(const_cast<PGresult*>(pg));
  std::vector<RemoteColumn> columns(static_cast<size_t>(PQnfields(pg)));
  for (int c = 0; c < static_cast<int>(columns.size()); ++c) {
    columns[c].name = PQfname(pg, c);
    columns[c].type_oid = static_cast<int32_t>(PQftype(pg, c));
    columns[c].type_modifier = PQfmod(pg, c);
  }
  FillRowsFromText(
      columns, static_cast<idx_t>(PQntuples(pg)),
      [pg](idx_t row, idx_t column) -> const char* {
        int r = static_cast<int>(row);
        int c = static_cast<int>(column);
        return PQgetisnull(pg, r, c) ? nullptr : PQgetvalue(pg, r, c);
      },
      &result);
  return result;
}

}  // namespace

namespace remote_internal {

void StartRowsFromText(const std::vector<RemoteColumn>& columns, idx_t row_count,
                       QueryResult* result) {
  result->column_names.clear();
  result->column_types.clear();
  result->chunks.clear();
  for (const RemoteColumn& column : columns) {
    result->column_names.push_back(column.name);
    result->column_types.push_back(LogicalTypeFromPg(column.type_oid, column.type_modifier));
  }
  for (idx_t start = 0; start < row_count; start += kBatchSize) {
    const idx_t count = std::min<idx_t>(kBatchSize, row_count - start);
    result->chunks.emplace_back(result->column_types, count).SetSize(count);
  }
}

void ResetColumnToText(idx_t column, QueryResult* result) {
  result->column_types[column] = TypeId::kVarchar;
  for (DataChunk& chunk : result->chunks) {
    chunk.column(column) = Vector(LogicalType(TypeId::kVarchar), chunk.capacity());
  }
}

}  // namespace remote_internal

std::unique_ptr<RemoteSession> RemoteSession::Connect(const RemoteOptions& options,
                                                      std::string* error) {
  std::string port = options.port > 0 ? std::to_string(options.port) : "";
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  auto add = [&](const char* keyword, const std::string& value) {
    if (value.empty()) return;  // libpq's default (environment, then built-in)
    keywords.push_back(keyword);
    values.push_back(value.c_str());
  };
  add("host", options.host);
  add("port", port);
  add("user", options.user);
  add("dbname", options.dbname);
  // The shell reads and prints UTF-8, whatever the locale says.
  static const std::string kUtf8 = "UTF8";
  static const std::string kApplication = "basalt";
  add("client_encoding", kUtf8);
  add("fallback_application_name", kApplication);
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  PGconn* connection = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/0);
  if (connection == nullptr) {
    *error = "out of memory";
    return nullptr;
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    *error = TrimTrailingNewlines(PQerrorMessage(connection));
    PQfinish(connection);
    return nullptr;
  }
  return std::unique_ptr<RemoteSession>(new RemoteSession(connection));
}

RemoteSession::~RemoteSession() { PQfinish(connection_); }

std::string RemoteSession::Description() const {
  const char* version = PQparameterStatus(connection_, "server_version");
  return fmt::format("server {}:{}{}", PQhost(connection_), PQport(connection_),
                     version != nullptr ? fmt::format(", version {}", version) : "");
}

ProgressFigures RemoteSession::FetchProgress(const std::string& host, int http_port,
                                             int session) const {
  httplib::Client client(host, http_port);
  client.set_connection_timeout(0, 300000);  // 300 ms: a bar must not stall
  client.set_read_timeout(1, 0);
  auto response = client.Get(fmt::format("/api/v1/queries?session={}", session));
  ProgressFigures figures;
  if (!response || response->status != 200) return figures;
  auto body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body["queries"].is_array() || body["queries"].empty()) return figures;
  const auto& progress = body["queries"][0]["progress"];
  if (!progress.is_object()) return figures;
  auto count = [&](const char* name) {
    return progress.contains(name) && progress[name].is_number_unsigned()
               ? progress[name].get<uint64_t>()
               : uint64_t{0};
  };
  figures.instances_done = count("instances_done");
  figures.instances_total = count("instances_total");
  figures.rows_scanned = count("rows_scanned");
  figures.bytes_scanned = count("bytes_scanned");
  figures.rows_estimated = count("rows_estimated");
  return figures;
}

QueryResult RemoteSession::Run(std::string_view sql) {
  if (PQstatus(connection_) == CONNECTION_BAD) {
    // Lost with an earlier statement (reported then): one attempt to come back.
    PQreset(connection_);
    if (PQstatus(connection_) == CONNECTION_BAD) {
      return ErrorResult(
          kConnectionDoesNotExist,
          fmt::format("no connection to the server: {}", FirstLine(PQerrorMessage(connection_))));
    }
  }
  // libpq wants a NUL-terminated string.
  std::string text(sql);
  if (!PQsendQuery(connection_, text.c_str())) {
    return ErrorResult(kConnectionFailure, FirstLine(PQerrorMessage(connection_)));
  }
  std::optional<ProgressBar> bar;
  const char* http_port = PQparameterStatus(connection_, "basalt_http_port");
  if (progress_to_ != nullptr && http_port != nullptr) {
    // Read here: libpq's connection is not to be touched from the bar's thread.
    const char* host = PQhost(connection_);
    std::string address = host != nullptr && host[0] != '/' ? host : "127.0.0.1";
    int port = std::atoi(http_port);
    int session = PQbackendPID(connection_);
    bar.emplace([this, address, port, session] { return FetchProgress(address, port, session); },
                *progress_to_);
  }
  // Every result must be read before the next query; the first error wins,
  // as with Connection::Query.
  QueryResult result;
  bool have_result = false;
  bool failed = false;
  while (PGresult* pg = PQgetResult(connection_)) {
    if (!failed) {
      switch (PQresultStatus(pg)) {
        case PGRES_TUPLES_OK:
          result = ConvertRows(pg);
          have_result = true;
          break;
        case PGRES_COMMAND_OK:
          result = QueryResult{};
          result.tag = PQcmdStatus(pg);
          have_result = true;
          break;
        case PGRES_EMPTY_QUERY:
          result = QueryResult{};
          have_result = true;
          break;
        case PGRES_BAD_RESPONSE:
        case PGRES_NONFATAL_ERROR:
        case PGRES_FATAL_ERROR:
          result = ConvertError(pg, connection_, text);
          have_result = true;
          failed = true;
          break;
        case PGRES_COPY_IN:
          // The shell has no data to send: ending the copy with an error makes
          // the server fail the statement, which the next result reports.
          PQputCopyEnd(connection_, "COPY FROM STDIN is not supported by the basalt shell");
          break;
        case PGRES_COPY_OUT: {
          // The data must be read for the connection to go on; the shell has
          // nowhere to put it, so the statement is reported as failed.
          char* buffer = nullptr;
          while (PQgetCopyData(connection_, &buffer, /*async=*/0) > 0) PQfreemem(buffer);
          result = ErrorResult(kFeatureNotSupported,
                               "COPY TO STDOUT is not supported by the basalt shell");
          have_result = true;
          failed = true;
          break;
        }
        default:
          // Pipeline and streaming states, which the shell never asks for.
          result =
              ErrorResult(kConnectionFailure, fmt::format("unexpected response from the server: {}",
                                                          PQresStatus(PQresultStatus(pg))));
          have_result = true;
          failed = true;
          break;
      }
    }
    PQclear(pg);
    if (PQstatus(connection_) == CONNECTION_BAD) break;
  }
  if (!have_result || (!failed && PQstatus(connection_) == CONNECTION_BAD)) {
    return ErrorResult(kConnectionFailure, FirstLine(PQerrorMessage(connection_)));
  }
  return result;
}

}  // namespace basalt
