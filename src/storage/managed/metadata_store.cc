#include "storage/managed/metadata_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <charconv>
#include <optional>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "common/exception.h"
#include "common/nested_type.h"

namespace basalt {

namespace {

// Written once when the store is created; a database without it is some other
// program's and is never touched. A change of the tables' layout gets a new
// marker, so an older Basalt refuses a newer store instead of misreading it.
constexpr const char* kFormat = "basalt-metadata-1";

// External tables (added after the first release) are a `tables` row plus
// a row of `external_tables`; both tables are created IF NOT EXISTS at every
// open, so a store written before them opens unchanged. (An older Basalt
// would see an external table as an empty managed one.)
// Views and tables share `columns` (oids are unique across both), so dropping
// an object by oid needs no knowledge of its kind. Integers that are unsigned
// in the records (row counts, sizes) are stored as their int64 bit pattern.
constexpr const char* kSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value);
CREATE TABLE IF NOT EXISTS schemas(oid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS tables(
  oid INTEGER PRIMARY KEY, schema TEXT NOT NULL, name TEXT NOT NULL,
  partition_column INTEGER NOT NULL, granularity TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS views(
  oid INTEGER PRIMARY KEY, schema TEXT NOT NULL, name TEXT NOT NULL, query_text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS view_column_names(
  view_oid INTEGER NOT NULL, ordinal INTEGER NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY(view_oid, ordinal));
CREATE TABLE IF NOT EXISTS columns(
  object_oid INTEGER NOT NULL, ordinal INTEGER NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, not_null INTEGER NOT NULL, PRIMARY KEY(object_oid, ordinal));
CREATE TABLE IF NOT EXISTS segments(
  segment_id TEXT PRIMARY KEY, table_oid INTEGER NOT NULL,
  chunk_start INTEGER NOT NULL, chunk_end INTEGER NOT NULL, version INTEGER NOT NULL,
  partition_num INTEGER NOT NULL, num_rows INTEGER NOT NULL, size_bytes INTEGER NOT NULL,
  directory TEXT NOT NULL, used INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS segments_by_table ON segments(table_oid);
CREATE TABLE IF NOT EXISTS table_statistics(
  table_oid INTEGER PRIMARY KEY, row_count INTEGER NOT NULL, analyzed_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS column_statistics(
  table_oid INTEGER NOT NULL, column_index INTEGER NOT NULL, distinct_count REAL NOT NULL,
  null_count INTEGER NOT NULL, has_bounds INTEGER NOT NULL,
  min_value TEXT NOT NULL, max_value TEXT NOT NULL, PRIMARY KEY(table_oid, column_index));
CREATE TABLE IF NOT EXISTS column_sketches(
  table_oid INTEGER NOT NULL, column_index INTEGER NOT NULL, registers BLOB NOT NULL,
  PRIMARY KEY(table_oid, column_index));
CREATE TABLE IF NOT EXISTS external_tables(
  table_oid INTEGER PRIMARY KEY, format TEXT NOT NULL, location TEXT NOT NULL,
  columns_declared INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS external_table_options(
  table_oid INTEGER NOT NULL, ordinal INTEGER NOT NULL, name TEXT NOT NULL,
  kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(table_oid, ordinal));
)sql";

// One public method's transaction. BEGIN on construction; the destructor
// rolls back unless Commit() ran, so every exit that throws, whether from
// SQLite or from our own checks, leaves the store as it was.
class Transaction {
 public:
  enum class Mode { kRead, kWrite };

  Transaction(sqlite3* db, const std::string& path, std::string operation, Mode mode)
      : db_(db), path_(path), operation_(std::move(operation)) {
    // IMMEDIATE takes the write lock up front: a writer never fails half-way
    // because another connection wrote in between.
    Exec(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    active_ = true;
  }
  ~Transaction() {
    // SQLite rolls some failures back by itself; a second ROLLBACK would fail.
    if (active_ && !sqlite3_get_autocommit(db_))
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  sqlite3* db() const { return db_; }

  // Constant SQL only: values always go through Statement's bound parameters.
  void Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fail();
  }

  void Commit() {
    Exec("COMMIT");
    active_ = false;
  }

  // The message must be taken before the rollback, which resets it.
  [[noreturn]] void Fail() const {
    ThrowError(sqlstate::kIoError, "metadata store \"{}\": cannot {}: {}", path_, operation_,
               sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  const std::string& path_;
  std::string operation_;
  bool active_ = false;
};

// A prepared statement, finalized when it goes out of scope. Bind() resets it,
// so one statement serves every row of a loop.
class Statement {
 public:
  Statement(const Transaction& txn, std::string_view sql) : txn_(txn) {
    if (sqlite3_prepare_v2(txn.db(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      txn.Fail();
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  template <typename... Args>
  Statement& Bind(const Args&... args) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    int index = 0;
    (BindOne(++index, args), ...);
    return *this;
  }

  // Steps once: true when a row is ready.
  bool Next() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    txn_.Fail();
  }

  template <typename... Args>
  void Run(const Args&... args) {
    Bind(args...);
    while (Next()) {
    }
  }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Real(int column) const { return sqlite3_column_double(stmt_, column); }
  // Reads by length, so text is returned byte for byte whatever it holds.
  std::string Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text == nullptr ? std::string() : std::string(text, sqlite3_column_bytes(stmt_, column));
  }
  std::vector<uint8_t> Blob(int column) const {
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
    return data == nullptr ? std::vector<uint8_t>()
                           : std::vector<uint8_t>(data, data + sqlite3_column_bytes(stmt_, column));
  }

 private:
  template <typename T>
  void BindOne(int index, const T& value) {
    int rc;
    if constexpr (std::is_same_v<T, bool>) {
      rc = sqlite3_bind_int(stmt_, index, value ? 1 : 0);
    } else if constexpr (std::is_integral_v<T>) {
      // uint64_t keeps its bit pattern (modular since C++20) and reads back exactly.
      rc = sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value));
    } else if constexpr (std::is_floating_point_v<T>) {
      rc = sqlite3_bind_double(stmt_, index, value);
    } else if constexpr (std::is_same_v<T, std::vector<uint8_t>>) {
      // A null data pointer would bind NULL, not an empty blob.
      rc = value.empty()
               ? sqlite3_bind_zeroblob(stmt_, index, 0)
               : sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT);
    } else {
      std::string_view text(value);
      rc = sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) txn_.Fail();
  }

  const Transaction& txn_;
  sqlite3_stmt* stmt_ = nullptr;
};

// --- Values stored as text -------------------------------------------------

// Our own stable spelling, independent of TypeId's numbering and of
// LogicalType::ToString (which may change for display).
std::string TypeName(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kNull:
      return "NULL";  // a view's column of an untyped NULL
    case TypeId::kBoolean:
      return "BOOLEAN";
    case TypeId::kSmallint:
      return "SMALLINT";
    case TypeId::kInteger:
      return "INTEGER";
    case TypeId::kBigint:
      return "BIGINT";
    case TypeId::kReal:
      return "REAL";
    case TypeId::kDouble:
      return "DOUBLE";
    case TypeId::kDecimal:
      return fmt::format("DECIMAL({},{})", type.precision(), type.scale());
    case TypeId::kVarchar:
      return "VARCHAR";
    case TypeId::kDate:
      return "DATE";
    case TypeId::kTimestamp:
      return "TIMESTAMP";
    case TypeId::kInterval:
      return "INTERVAL";
    case TypeId::kList:
    case TypeId::kStruct:
      return type.ToString();  // read back by ParseTypeString
    case TypeId::kInvalid:
      break;
  }
  ThrowError(sqlstate::kInternalError, "metadata store: cannot store a column of invalid type");
}

bool ParseUint8(std::string_view text, uint8_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<LogicalType> ParseTypeName(std::string_view name) {
  static const std::pair<std::string_view, TypeId> kSimple[] = {
      {"NULL", TypeId::kNull},         {"BOOLEAN", TypeId::kBoolean},
      {"SMALLINT", TypeId::kSmallint}, {"INTEGER", TypeId::kInteger},
      {"BIGINT", TypeId::kBigint},     {"REAL", TypeId::kReal},
      {"DOUBLE", TypeId::kDouble},     {"VARCHAR", TypeId::kVarchar},
      {"DATE", TypeId::kDate},         {"TIMESTAMP", TypeId::kTimestamp},
      {"INTERVAL", TypeId::kInterval},
  };
  for (const auto& [text, id] : kSimple) {
    if (name == text) return LogicalType(id);
  }
  constexpr std::string_view kDecimal = "DECIMAL(";
  if (name.starts_with(kDecimal) && name.ends_with(')')) {
    std::string_view args = name.substr(kDecimal.size(), name.size() - kDecimal.size() - 1);
    size_t comma = args.find(',');
    uint8_t precision, scale;
    if (comma != std::string_view::npos && ParseUint8(args.substr(0, comma), &precision) &&
        ParseUint8(args.substr(comma + 1), &scale) && precision >= 1 &&
        precision <= kMaxDecimalPrecision && scale <= precision) {
      return LogicalType::Decimal(precision, scale);
    }
  }
  if (name.ends_with("[]") || name.starts_with("STRUCT(")) return ParseTypeString(name);
  return std::nullopt;
}

// --- Reading and writing rows ------------------------------------------------

std::optional<int64_t> GetMeta(const Transaction& txn, const char* key) {
  Statement select(txn, "SELECT value FROM meta WHERE key = ?1");
  select.Bind(std::string_view(key));
  if (!select.Next()) return std::nullopt;
  return select.Int(0);
}

void SetMeta(const Transaction& txn, const char* key, int64_t value) {
  Statement(txn, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)")
      .Run(std::string_view(key), value);
}

void InsertColumns(const Transaction& txn, uint32_t oid, const std::vector<ColumnRecord>& columns) {
  Statement insert(txn,
                   "INSERT INTO columns(object_oid, ordinal, name, type, not_null) "
                   "VALUES(?1, ?2, ?3, ?4, ?5)");
  for (size_t i = 0; i < columns.size(); i++) {
    insert.Run(oid, i, columns[i].name, TypeName(columns[i].type), columns[i].not_null);
  }
}

// An external table's option values keep their kind, so that a restart
// applies them exactly as CREATE did.
void InsertExternal(const Transaction& txn, uint32_t oid, const ExternalTableRecord& external) {
  Statement(txn,
            "INSERT INTO external_tables(table_oid, format, location, columns_declared) "
            "VALUES(?1, ?2, ?3, ?4)")
      .Run(oid, external.format, external.location, external.columns_declared);
  Statement insert(txn,
                   "INSERT INTO external_table_options(table_oid, ordinal, name, kind, value) "
                   "VALUES(?1, ?2, ?3, ?4, ?5)");
  for (size_t i = 0; i < external.options.size(); i++) {
    const auto& [name, value] = external.options[i];
    std::string_view kind = value.IsNull()                            ? "null"
                            : value.type().id() == TypeId::kBoolean   ? "boolean"
                            : value.type().IsInteger()                ? "bigint"
                                                                      : "text";
    std::string text = value.IsNull()                          ? std::string()
                       : value.type().id() == TypeId::kVarchar ? value.GetString()
                                                               : value.ToString();
    insert.Run(oid, i, name, kind, text);
  }
}

Value ExternalOptionValue(std::string_view kind, const std::string& text) {
  if (kind == "null") return Value::Null();
  if (kind == "boolean") return Value::Boolean(text == "true" || text == "t");
  if (kind == "bigint") {
    int64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return Value::Bigint(n);
  }
  return Value::Varchar(text);
}

// Deletes the rows of every table or view whose oid `selector` matches
// (constant SQL such as "= ?1"; `arg` is bound to ?1), with everything they own.
template <typename Arg>
void DeleteObjects(const Transaction& txn, std::string_view selector, const Arg& arg) {
  static constexpr std::string_view kOwned[] = {
      "DELETE FROM segments WHERE table_oid ",
      "DELETE FROM table_statistics WHERE table_oid ",
      "DELETE FROM column_statistics WHERE table_oid ",
      "DELETE FROM column_sketches WHERE table_oid ",
      "DELETE FROM columns WHERE object_oid ",
      "DELETE FROM view_column_names WHERE view_oid ",
      "DELETE FROM external_table_options WHERE table_oid ",
      "DELETE FROM external_tables WHERE table_oid ",
      // The objects last: the selector may read them.
      "DELETE FROM tables WHERE oid ",
      "DELETE FROM views WHERE oid ",
  };
  for (std::string_view sql : kOwned) {
    Statement(txn, std::string(sql).append(selector)).Run(arg);
  }
}

void DropObject(const Transaction& txn, uint32_t oid) { DeleteObjects(txn, "= ?1", oid); }

// CREATE [OR REPLACE] TABLE, shared by CreateTable and CREATE TABLE AS's Publish.
void InsertTable(const Transaction& txn, const TableRecord& table, uint32_t next_oid,
                 uint32_t replaced_oid) {
  if (replaced_oid != 0) DropObject(txn, replaced_oid);
  Statement(txn,
            "INSERT INTO tables(oid, schema, name, partition_column, granularity) "
            "VALUES(?1, ?2, ?3, ?4, ?5)")
      .Run(table.oid, table.schema, table.name, table.partitioning.column,
           std::string_view(TimeGranularityName(table.partitioning.granularity)));
  InsertColumns(txn, table.oid, table.columns);
  if (table.external) InsertExternal(txn, table.oid, *table.external);
  SetMeta(txn, "next_oid", next_oid);
}

}  // namespace

// --- MetadataStore -------------------------------------------------------------

MetadataStore::MetadataStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

MetadataStore::~MetadataStore() { sqlite3_close_v2(db_); }

std::unique_ptr<MetadataStore> MetadataStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  // The store owns the handle from here, so it is closed even if opening failed.
  std::unique_ptr<MetadataStore> store(new MetadataStore(db, path));
  if (rc != SQLITE_OK) {
    ThrowError(sqlstate::kIoError, "metadata store \"{}\": cannot open: {}", path,
               db == nullptr ? sqlite3_errstr(rc) : sqlite3_errmsg(db));
  }
  // Other processes (a backup, the sqlite3 shell) may hold a lock for a moment.
  sqlite3_busy_timeout(db, 5000);
  if (sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    ThrowError(sqlstate::kIoError, "metadata store \"{}\": cannot open: {}", path,
               sqlite3_errmsg(db));
  }

  {
    // The marker is checked before anything is written, so another program's
    // database (or a file that is no database) is left exactly as it was.
    Transaction txn(db, store->path_, "open", Transaction::Mode::kWrite);
    Statement count(txn, "SELECT count(*) FROM sqlite_master");
    count.Bind();
    bool empty = count.Next() && count.Int(0) == 0;
    if (!empty) {
      Statement has_meta(
          txn, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
      has_meta.Bind();
      std::string format;
      if (has_meta.Next() && has_meta.Int(0) == 1) {
        Statement select(txn, "SELECT value FROM meta WHERE key = 'format'");
        select.Bind();
        if (select.Next()) format = select.Text(0);
      }
      if (format != kFormat) {
        ThrowError(sqlstate::kIoError, "metadata store \"{}\" is not a Basalt metadata store{}",
                   path, format.empty() ? "" : fmt::format(" (format \"{}\")", format));
      }
    }
    txn.Exec(kSchemaSql);
    if (empty) {
      Statement(txn, "INSERT INTO meta(key, value) VALUES('format', ?1)")
          .Run(std::string_view(kFormat));
      SetMeta(txn, "next_version", 1);
    }
    txn.Commit();
  }

  // WAL is a property of the file and survives; setting it again is a no-op.
  // It needs no transaction, and after the check it only ever touches our own store.
  sqlite3_stmt* stmt = nullptr;
  std::string mode;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  if (mode != "wal") {
    ThrowError(sqlstate::kIoError,
               "metadata store \"{}\": cannot open: cannot use a WAL journal ({})", path,
               mode.empty() ? sqlite3_errmsg(db) : mode);
  }
  return store;
}

MetadataStore::Contents MetadataStore::Load() const {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, "load", Transaction::Mode::kRead);
  Contents contents;

  Statement schemas(txn, "SELECT oid, name FROM schemas ORDER BY oid");
  schemas.Bind();
  while (schemas.Next()) {
    contents.schemas.push_back({static_cast<uint32_t>(schemas.Int(0)), schemas.Text(1)});
  }

  std::unordered_map<int64_t, std::vector<ColumnRecord>*> columns_of;
  std::unordered_map<int64_t, std::string> owner_names;  // for the corruption message

  Statement tables(
      txn, "SELECT oid, schema, name, partition_column, granularity FROM tables ORDER BY oid");
  tables.Bind();
  while (tables.Next()) {
    TableRecord& table = contents.tables.emplace_back();
    table.oid = static_cast<uint32_t>(tables.Int(0));
    table.schema = tables.Text(1);
    table.name = tables.Text(2);
    table.partitioning.column = static_cast<int>(tables.Int(3));
    std::string granularity = tables.Text(4);
    if (granularity == "none") {
      table.partitioning.granularity = TimeGranularity::kNone;
    } else if (!ParseTimeGranularity(granularity, &table.partitioning.granularity)) {
      ThrowError(
          sqlstate::kDataCorrupted,
          "metadata store \"{}\": table \"{}\".\"{}\" has unknown partition granularity \"{}\"",
          path_, table.schema, table.name, granularity);
    }
  }

  {
    std::unordered_map<int64_t, TableRecord*> table_of;
    for (TableRecord& table : contents.tables) table_of[table.oid] = &table;
    Statement externals(
        txn, "SELECT table_oid, format, location, columns_declared FROM external_tables");
    externals.Bind();
    while (externals.Next()) {
      auto owner = table_of.find(externals.Int(0));
      if (owner == table_of.end()) continue;
      ExternalTableRecord& external = owner->second->external.emplace();
      external.format = externals.Text(1);
      external.location = externals.Text(2);
      external.columns_declared = externals.Int(3) != 0;
    }
    Statement options(txn,
                      "SELECT table_oid, name, kind, value FROM external_table_options "
                      "ORDER BY table_oid, ordinal");
    options.Bind();
    while (options.Next()) {
      auto owner = table_of.find(options.Int(0));
      if (owner == table_of.end() || !owner->second->external) continue;
      owner->second->external->options.emplace_back(
          options.Text(1), ExternalOptionValue(options.Text(2), options.Text(3)));
    }
  }

  Statement views(txn, "SELECT oid, schema, name, query_text FROM views ORDER BY oid");
  views.Bind();
  while (views.Next()) {
    ViewRecord& view = contents.views.emplace_back();
    view.oid = static_cast<uint32_t>(views.Int(0));
    view.schema = views.Text(1);
    view.name = views.Text(2);
    view.query_text = views.Text(3);
  }

  // Pointers into the vectors are taken only now that they no longer grow.
  for (TableRecord& table : contents.tables) {
    columns_of[table.oid] = &table.columns;
    owner_names[table.oid] = fmt::format("table \"{}\".\"{}\"", table.schema, table.name);
  }
  std::unordered_map<int64_t, std::vector<std::string>*> names_of;
  for (ViewRecord& view : contents.views) {
    columns_of[view.oid] = &view.columns;
    names_of[view.oid] = &view.column_names;
    owner_names[view.oid] = fmt::format("view \"{}\".\"{}\"", view.schema, view.name);
  }

  Statement columns(txn,
                    "SELECT object_oid, name, type, not_null FROM columns "
                    "ORDER BY object_oid, ordinal");
  columns.Bind();
  while (columns.Next()) {
    auto owner = columns_of.find(columns.Int(0));
    if (owner == columns_of.end())
      continue;  // cannot happen: objects are dropped with their columns
    ColumnRecord column;
    column.name = columns.Text(1);
    std::string type_name = columns.Text(2);
    std::optional<LogicalType> type = ParseTypeName(type_name);
    if (!type) {
      ThrowError(sqlstate::kDataCorrupted,
                 "metadata store \"{}\": column \"{}\" of {} has unknown type \"{}\"", path_,
                 column.name, owner_names[owner->first], type_name);
    }
    column.type = *type;
    column.not_null = columns.Int(3) != 0;
    owner->second->push_back(std::move(column));
  }

  Statement names(txn, "SELECT view_oid, name FROM view_column_names ORDER BY view_oid, ordinal");
  names.Bind();
  while (names.Next()) {
    auto owner = names_of.find(names.Int(0));
    if (owner != names_of.end()) owner->second->push_back(names.Text(1));
  }

  Statement segments(
      txn,
      "SELECT segment_id, table_oid, chunk_start, chunk_end, version, partition_num, "
      "num_rows, size_bytes, directory, used FROM segments "
      "ORDER BY table_oid, chunk_start, version, partition_num, segment_id");
  segments.Bind();
  while (segments.Next()) {
    SegmentRecord& segment = contents.segments.emplace_back();
    segment.segment_id = segments.Text(0);
    segment.table_oid = static_cast<uint32_t>(segments.Int(1));
    segment.chunk = {segments.Int(2), segments.Int(3)};
    segment.version = segments.Int(4);
    segment.partition = static_cast<int32_t>(segments.Int(5));
    segment.num_rows = static_cast<uint64_t>(segments.Int(6));
    segment.size_bytes = static_cast<uint64_t>(segments.Int(7));
    segment.directory = segments.Text(8);
    segment.used = segments.Int(9) != 0;
  }

  Statement statistics(txn,
                       "SELECT table_oid, row_count, analyzed_at FROM table_statistics "
                       "ORDER BY table_oid");
  statistics.Bind();
  std::unordered_map<int64_t, size_t> statistics_of;
  while (statistics.Next()) {
    statistics_of[statistics.Int(0)] = contents.statistics.size();
    contents.statistics.push_back({static_cast<uint32_t>(statistics.Int(0)),
                                   static_cast<uint64_t>(statistics.Int(1)),
                                   statistics.Int(2),
                                   {}});
  }
  Statement column_statistics(txn,
                              "SELECT table_oid, column_index, distinct_count, null_count, "
                              "has_bounds, min_value, max_value FROM column_statistics "
                              "ORDER BY table_oid, column_index");
  column_statistics.Bind();
  while (column_statistics.Next()) {
    auto owner = statistics_of.find(column_statistics.Int(0));
    if (owner == statistics_of.end()) continue;
    contents.statistics[owner->second].columns.push_back(
        {static_cast<uint32_t>(column_statistics.Int(1)), column_statistics.Real(2),
         static_cast<uint64_t>(column_statistics.Int(3)), column_statistics.Int(4) != 0,
         column_statistics.Text(5), column_statistics.Text(6)});
  }

  Statement sketches(txn,
                     "SELECT table_oid, column_index, registers FROM column_sketches "
                     "ORDER BY table_oid, column_index");
  sketches.Bind();
  while (sketches.Next()) {
    contents.sketches.push_back({static_cast<uint32_t>(sketches.Int(0)),
                                 static_cast<uint32_t>(sketches.Int(1)), sketches.Blob(2)});
  }

  contents.next_oid = static_cast<uint32_t>(GetMeta(txn, "next_oid").value_or(0));
  txn.Commit();
  return contents;
}

void MetadataStore::CreateSchema(const SchemaRecord& schema, uint32_t next_oid) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, fmt::format("create schema \"{}\"", schema.name),
                  Transaction::Mode::kWrite);
  Statement(txn, "INSERT INTO schemas(oid, name) VALUES(?1, ?2)").Run(schema.oid, schema.name);
  SetMeta(txn, "next_oid", next_oid);
  txn.Commit();
}

void MetadataStore::DropSchema(const std::string& name) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, fmt::format("drop schema \"{}\"", name), Transaction::Mode::kWrite);
  DeleteObjects(txn,
                "IN (SELECT oid FROM tables WHERE schema = ?1 "
                "UNION ALL SELECT oid FROM views WHERE schema = ?1)",
                name);
  Statement(txn, "DELETE FROM schemas WHERE name = ?1").Run(name);
  txn.Commit();
}

void MetadataStore::CreateTable(const TableRecord& table, uint32_t next_oid,
                                uint32_t replaced_oid) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, fmt::format("create table \"{}\".\"{}\"", table.schema, table.name),
                  Transaction::Mode::kWrite);
  InsertTable(txn, table, next_oid, replaced_oid);
  txn.Commit();
}

void MetadataStore::DropTable(uint32_t oid) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, fmt::format("drop table of oid {}", oid), Transaction::Mode::kWrite);
  DropObject(txn, oid);
  txn.Commit();
}

void MetadataStore::CreateView(const ViewRecord& view, uint32_t next_oid, uint32_t replaced_oid) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, fmt::format("create view \"{}\".\"{}\"", view.schema, view.name),
                  Transaction::Mode::kWrite);
  if (replaced_oid != 0) DropObject(txn, replaced_oid);
  Statement(txn, "INSERT INTO views(oid, schema, name, query_text) VALUES(?1, ?2, ?3, ?4)")
      .Run(view.oid, view.schema, view.name, view.query_text);
  Statement insert_name(
      txn, "INSERT INTO view_column_names(view_oid, ordinal, name) VALUES(?1, ?2, ?3)");
  for (size_t i = 0; i < view.column_names.size(); i++) {
    insert_name.Run(view.oid, i, view.column_names[i]);
  }
  InsertColumns(txn, view.oid, view.columns);
  SetMeta(txn, "next_oid", next_oid);
  txn.Commit();
}

void MetadataStore::DropView(uint32_t oid) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, fmt::format("drop view of oid {}", oid), Transaction::Mode::kWrite);
  DropObject(txn, oid);
  txn.Commit();
}

int64_t MetadataStore::AllocateVersion() {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, "allocate a segment version", Transaction::Mode::kWrite);
  int64_t version = GetMeta(txn, "next_version").value_or(1);
  SetMeta(txn, "next_version", version + 1);
  txn.Commit();
  return version;
}

void MetadataStore::Publish(const PublishRequest& request) {
  std::lock_guard lock(mutex_);
  std::string operation = "publish segments";
  if (request.create_table) {
    operation = fmt::format("create table \"{}\".\"{}\" with its segments",
                            request.create_table->schema, request.create_table->name);
  }
  Transaction txn(db_, path_, std::move(operation), Transaction::Mode::kWrite);
  if (request.create_table) {
    InsertTable(txn, *request.create_table, request.next_oid, request.replaced_table_oid);
  }
  Statement insert(txn,
                   "INSERT INTO segments(segment_id, table_oid, chunk_start, chunk_end, version, "
                   "partition_num, num_rows, size_bytes, directory, used) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)");
  for (const SegmentRecord& s : request.added) {
    insert.Run(s.segment_id, s.table_oid, s.chunk.start, s.chunk.end, s.version, s.partition,
               s.num_rows, s.size_bytes, s.directory);
  }
  Statement unpublish(txn, "UPDATE segments SET used = 0 WHERE segment_id = ?1");
  for (const std::string& id : request.unpublished) unpublish.Run(id);
  Statement sketch(txn,
                   "INSERT OR REPLACE INTO column_sketches(table_oid, column_index, registers) "
                   "VALUES(?1, ?2, ?3)");
  for (const ColumnSketchRecord& s : request.sketches)
    sketch.Run(s.table_oid, s.column, s.registers);
  txn.Commit();
}

void MetadataStore::DeleteSegments(const std::vector<std::string>& segment_ids) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, "delete segments", Transaction::Mode::kWrite);
  Statement remove(txn, "DELETE FROM segments WHERE segment_id = ?1");
  for (const std::string& id : segment_ids) remove.Run(id);
  txn.Commit();
}

void MetadataStore::SaveStatistics(const TableStatisticsRecord& statistics,
                                   const std::vector<ColumnSketchRecord>& sketches) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_, path_, fmt::format("save statistics of table oid {}", statistics.table_oid),
                  Transaction::Mode::kWrite);
  Statement(txn, "DELETE FROM column_statistics WHERE table_oid = ?1").Run(statistics.table_oid);
  Statement(txn,
            "INSERT OR REPLACE INTO table_statistics(table_oid, row_count, analyzed_at) "
            "VALUES(?1, ?2, ?3)")
      .Run(statistics.table_oid, statistics.row_count, statistics.analyzed_at);
  Statement insert(
      txn,
      "INSERT INTO column_statistics(table_oid, column_index, distinct_count, "
      "null_count, has_bounds, min_value, max_value) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const ColumnStatisticsRecord& c : statistics.columns) {
    insert.Run(statistics.table_oid, c.column, c.distinct_count, c.null_count, c.has_bounds, c.min,
               c.max);
  }
  Statement sketch(txn,
                   "INSERT OR REPLACE INTO column_sketches(table_oid, column_index, registers) "
                   "VALUES(?1, ?2, ?3)");
  for (const ColumnSketchRecord& k : sketches) sketch.Run(k.table_oid, k.column, k.registers);
  txn.Commit();
}

}  // namespace basalt
