#include "http/catalog_api.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "common/exception.h"
#include "http/http_json.h"

namespace basalt::http {

namespace {

// A statement's error, carried out of Run with its own copy of the code
// (BasaltError keeps only a pointer to a constant).
struct SqlFailure {
  std::string code;
  std::string message;
};

// Runs `sql` with text parameters $1.. in a connection whose statements are
// not listed among the queries; throws the statement's error.
QueryResult Run(Database& db, const std::string& sql, const std::vector<std::string>& params) {
  Connection connection(db);
  ClientInfo client;
  client.client = "http";
  client.recorded = false;
  connection.set_client(client);
  PreparedStatement prepared;
  std::vector<LogicalType> types(params.size(), LogicalType(TypeId::kVarchar));
  QueryResult result = connection.Prepare(sql, types, &prepared);
  if (result.ok) {
    std::vector<Value> values;
    for (const std::string& p : params) values.push_back(Value::Varchar(p));
    result = connection.ExecutePrepared(prepared, values);
  }
  if (!result.ok) throw SqlFailure{result.error_code, result.error_message};
  return result;
}

bool SchemaExists(Database& db, const std::string& schema) {
  return Run(db, "SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", {schema})
             .RowCount() > 0;
}

void Reply(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(Dump(body), "application/json");
}

json Schemas(Database& db) {
  QueryResult r = Run(db,
                      "SELECT s.schema_name, count(t.table_name) FROM information_schema.schemata s "
                      "LEFT JOIN information_schema.tables t ON t.table_schema = s.schema_name "
                      "GROUP BY s.schema_name ORDER BY s.schema_name",
                      {});
  json schemas = json::array();
  for (idx_t i = 0; i < r.RowCount(); i++) {
    schemas.push_back({{"name", r.GetValue(0, i).ToString()}, {"tables", ValueJson(r.GetValue(1, i))}});
  }
  return {{"schemas", std::move(schemas)}};
}

// "table", "external table", "view" or "system table".
std::string KindOf(const std::string& schema, const Value& table_type, const Value& storage) {
  if (schema == "pg_catalog" || schema == "information_schema" || schema == "sys") {
    return "system table";
  }
  if (table_type.ToString() == "VIEW") return "view";
  if (!storage.IsNull() && storage.ToString() == "external") return "external table";
  return "table";
}

json Tables(Database& db, const std::string& schema) {
  QueryResult r = Run(db,
                      "SELECT t.table_name, t.table_type, s.kind, s.num_rows "
                      "FROM information_schema.tables t LEFT JOIN sys.tables s "
                      "ON s.schema = t.table_schema AND s.\"table\" = t.table_name "
                      "WHERE t.table_schema = $1 ORDER BY t.table_name",
                      {schema});
  json tables = json::array();
  for (idx_t i = 0; i < r.RowCount(); i++) {
    tables.push_back({{"name", r.GetValue(0, i).ToString()},
                      {"kind", KindOf(schema, r.GetValue(1, i), r.GetValue(2, i))},
                      {"rows", ValueJson(r.GetValue(3, i))}});
  }
  return {{"schema", schema}, {"tables", std::move(tables)}};
}

// nullopt-like: a null json when the table does not exist.
json Table(Database& db, const std::string& schema, const std::string& table) {
  QueryResult found = Run(db,
                          "SELECT t.table_type, s.kind FROM information_schema.tables t "
                          "LEFT JOIN sys.tables s ON s.schema = t.table_schema "
                          "AND s.\"table\" = t.table_name "
                          "WHERE t.table_schema = $1 AND t.table_name = $2",
                          {schema, table});
  if (found.RowCount() == 0) return nullptr;
  QueryResult columns = Run(db,
                            "SELECT column_name, data_type, is_nullable "
                            "FROM information_schema.columns "
                            "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                            {schema, table});
  json column_list = json::array();
  for (idx_t i = 0; i < columns.RowCount(); i++) {
    column_list.push_back({{"name", columns.GetValue(0, i).ToString()},
                           {"type", columns.GetValue(1, i).ToString()},
                           {"nullable", columns.GetValue(2, i).ToString() == "YES"}});
  }
  QueryResult segments = Run(db,
                             "SELECT segment_id, num_rows, size_bytes, start, \"end\", version "
                             "FROM sys.segments WHERE schema = $1 AND \"table\" = $2 "
                             "AND is_published AND NOT is_overshadowed ORDER BY start, segment_id",
                             {schema, table});
  json segment_list = json::array();
  for (idx_t i = 0; i < segments.RowCount(); i++) {
    segment_list.push_back({{"id", ValueJson(segments.GetValue(0, i))},
                            {"rows", ValueJson(segments.GetValue(1, i))},
                            {"size_bytes", ValueJson(segments.GetValue(2, i))},
                            {"interval_start", ValueJson(segments.GetValue(3, i))},
                            {"interval_end", ValueJson(segments.GetValue(4, i))},
                            {"version", ValueJson(segments.GetValue(5, i))}});
  }
  return {{"schema", schema},
          {"name", table},
          {"kind", KindOf(schema, found.GetValue(0, 0), found.GetValue(1, 0))},
          {"columns", std::move(column_list)},
          {"segments", std::move(segment_list)}};
}

// Runs a handler, turning its errors into JSON replies.
template <typename F>
void Guarded(httplib::Response& response, F&& handler) {
  try {
    handler();
  } catch (const SqlFailure& e) {
    Reply(response, StatusOfError(e.code), ErrorJson(e.code, e.message));
  } catch (const std::exception& e) {
    Reply(response, 500, ErrorJson(sqlstate::kInternalError, e.what()));
  }
}


// The decoded segments of the request's path, split before decoding, so a
// name holding "/" (sent as %2F) stays one segment. cpp-httplib matches
// routes against the decoded path, where that "/" could not be told apart.
std::vector<std::string> PathSegments(const httplib::Request& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  std::vector<std::string> segments;
  size_t start = 1;  // after the leading "/"
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(httplib::detail::decode_url(std::string(path.substr(start, end - start)),
                                                   /*convert_plus_to_space=*/false));
    start = end + 1;
  }
  return segments;
}

void Schema(Database& db, const std::vector<std::string>& path, httplib::Response& r) {
  // api, v1, catalog, schemas, <schema>, tables[, <table>]
  if (path.size() < 6 || path.size() > 7 || path[5] != "tables") {
    Reply(r, 404, ErrorJson(sqlstate::kUndefinedObject, "no such route"));
    return;
  }
  const std::string& schema = path[4];
  if (!SchemaExists(db, schema)) {
    Reply(r, 404, ErrorJson(sqlstate::kUndefinedSchema,
                            fmt::format("schema \"{}\" does not exist", schema)));
    return;
  }
  if (path.size() == 6) {
    Reply(r, 200, Tables(db, schema));
    return;
  }
  const std::string& table = path[6];
  json body = Table(db, schema, table);
  if (body.is_null()) {
    Reply(r, 404, ErrorJson(sqlstate::kUndefinedTable,
                            fmt::format("relation \"{}.{}\" does not exist", schema, table)));
    return;
  }
  Reply(r, 200, body);
}

}  // namespace

void RegisterCatalogRoutes(httplib::Server& server, Database& db) {
  server.Get("/api/v1/catalog/schemas", [&db](const httplib::Request&, httplib::Response& r) {
    Guarded(r, [&] { Reply(r, 200, Schemas(db)); });
  });
  server.Get(R"(/api/v1/catalog/schemas/.+)", [&db](const httplib::Request& q,
                                                     httplib::Response& r) {
    Guarded(r, [&] { Schema(db, PathSegments(q), r); });
  });
}

}  // namespace basalt::http
