#include "exec/functions/catalog_functions.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "catalog/system_relations.h"
#include "common/exception.h"
#include "common/identifier.h"
#include "common/pg_types.h"
#include "common/string_parse.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/row_function.h"

namespace basalt {

struct CatalogLookup {
  SessionInfo session;
  std::string current_schema;                               // NULL when none exists: empty
  std::unordered_map<int64_t, std::string> relation_names;  // as regclass prints them
  std::unordered_map<std::string, int64_t> relation_oids;   // "schema.name" and visible "name"
  std::unordered_set<int64_t> visible;
  std::unordered_set<int64_t> relations;
  std::unordered_map<int64_t, std::string> namespace_names;
  std::unordered_map<std::string, int64_t> namespace_oids;
  std::unordered_map<int64_t, std::string> view_definitions;
};

namespace {

// Splits "a.b" / "\"A\".b" into its names, folding unquoted parts to lower
// case as the SQL parser would; nullopt for a malformed name.
std::optional<std::vector<std::string>> ParseQualifiedName(const std::string& text) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (true) {
    std::string part;
    if (i < text.size() && text[i] == '"') {
      for (i++; i < text.size(); i++) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            part += '"';
            i++;
          } else {
            break;
          }
        } else {
          part += text[i];
        }
      }
      if (i >= text.size()) return std::nullopt;
      i++;
    } else {
      while (i < text.size() && text[i] != '.') {
        char c = text[i++];
        part += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      }
    }
    if (part.empty()) return std::nullopt;
    parts.push_back(std::move(part));
    if (i == text.size()) return parts;
    if (text[i] != '.') return std::nullopt;
    i++;
  }
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The reg* input functions take a number as the oid itself: nullopt when
// `text` is not all digits (a name), else the oid, which must fit oid's
// unsigned 32 bits (22003 otherwise, as in PostgreSQL's oidin).
std::optional<int64_t> NumericOid(const std::string& text) {
  if (!AllDigits(text)) return std::nullopt;
  int64_t oid;
  if (!ParseInteger(text, 0, UINT32_MAX, &oid)) {
    ThrowError(sqlstate::kNumericOutOfRange, "value \"{}\" is out of range for type oid", text);
  }
  return oid;
}

int64_t RegclassIn(const CatalogLookup& lookup, const std::string& text) {
  if (auto oid = NumericOid(text)) return *oid;
  auto parts = ParseQualifiedName(text);
  if (!parts || parts->size() > 2) {
    ThrowError(sqlstate::kInvalidTextRepresentation, "invalid name syntax: \"{}\"", text);
  }
  std::string key = parts->size() == 2 ? (*parts)[0] + "." + (*parts)[1] : (*parts)[0];
  auto it = lookup.relation_oids.find(key);
  if (it == lookup.relation_oids.end()) {
    ThrowError(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", text);
  }
  return it->second;
}

int64_t RegnamespaceIn(const CatalogLookup& lookup, const std::string& text) {
  if (auto oid = NumericOid(text)) return *oid;
  auto parts = ParseQualifiedName(text);
  if (!parts || parts->size() != 1) {
    ThrowError(sqlstate::kInvalidTextRepresentation, "invalid name syntax: \"{}\"", text);
  }
  auto it = lookup.namespace_oids.find((*parts)[0]);
  if (it == lookup.namespace_oids.end()) {
    ThrowError(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", text);
  }
  return it->second;
}

int64_t RegtypeIn(const std::string& text) {
  if (auto oid = NumericOid(text)) return *oid;
  std::string name = text;
  for (auto& c : name) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (name.rfind("pg_catalog.", 0) == 0) name = name.substr(11);
  size_t paren = name.find('(');
  if (paren != std::string::npos) name = name.substr(0, paren);
  const PgBuiltinType* type = FindPgTypeByName(name);
  if (!type) ThrowError(sqlstate::kUndefinedObject, "type \"{}\" does not exist", text);
  return type->oid;
}

const LogicalType kOid = TypeId::kBigint;
const LogicalType kText = TypeId::kVarchar;
const LogicalType kInt4 = TypeId::kInteger;
const LogicalType kBool = TypeId::kBoolean;

// A signature check: each argument must be an integer (oid) or text as given.
bool Matches(const std::vector<LogicalType>& args, const char* pattern) {
  if (args.size() != std::char_traits<char>::length(pattern)) return false;
  for (size_t i = 0; i < args.size(); i++) {
    switch (pattern[i]) {
      case 'o':  // oid or any integer
        if (!IsIntegerOrNull(args[i])) return false;
        break;
      case 't':
        if (!IsVarcharOrNull(args[i])) return false;
        break;
      case 'b':
        if (args[i].id() != TypeId::kBoolean && args[i].id() != TypeId::kNull) return false;
        break;
      case '*':
        break;
    }
  }
  return true;
}

std::vector<LogicalType> TypesFor(const std::vector<LogicalType>& args, const char* pattern) {
  std::vector<LogicalType> types;
  for (size_t i = 0; i < args.size(); i++) {
    switch (pattern[i]) {
      case 'o':
        types.push_back(kOid);
        break;
      case 't':
        types.push_back(kText);
        break;
      case 'b':
        types.push_back(kBool);
        break;
      default:
        types.push_back(args[i].id() == TypeId::kNull ? kText : args[i]);
    }
  }
  return types;
}

using Lookup = std::shared_ptr<const CatalogLookup>;

std::optional<BoundScalarFunction> Strict(const std::string& name,
                                          const std::vector<LogicalType>& args, const char* pattern,
                                          LogicalType result, RowFunction fn) {
  if (!Matches(args, pattern)) return std::nullopt;
  return MakeStrictRowFunction(name, TypesFor(args, pattern), result, std::move(fn));
}

Value NullText() { return Value::Null(TypeId::kVarchar); }

const std::unordered_set<std::string>& CatalogFunctionNames() {
  static const std::unordered_set<std::string> kNames = {
      "regclass_in",
      "regclass_out",
      "to_regclass",
      "regtype_in",
      "regtype_out",
      "to_regtype",
      "regnamespace_in",
      "regnamespace_out",
      "regproc_in",
      "regproc_out",
      "pg_table_is_visible",
      "pg_type_is_visible",
      "pg_get_userbyid",
      "format_type",
      "obj_description",
      "col_description",
      "shobj_description",
      "pg_get_expr",
      "pg_encoding_to_char",
      "has_table_privilege",
      "has_schema_privilege",
      "has_database_privilege",
      "has_column_privilege",
      "has_any_column_privilege",
      "has_type_privilege",
      "has_function_privilege",
      "pg_get_indexdef",
      "pg_function_is_visible",
      "pg_get_function_arguments",
      "pg_get_function_result",
      "pg_get_constraintdef",
      "pg_get_viewdef",
      "pg_relation_is_publishable",
      "pg_get_statisticsobjdef_columns",
      "current_schema",
      "current_database",
      "current_catalog",
      "current_user",
      "session_user",
      "current_role",
      "user",
      "version",
      "current_schemas",
  };
  return kNames;
}

}  // namespace

std::shared_ptr<const CatalogLookup> MakeCatalogLookup(const SystemTableInputs& inputs) {
  auto lookup = std::make_shared<CatalogLookup>();
  lookup->session = inputs.session;
  for (const auto& n : AllNamespaces(inputs)) {
    lookup->namespace_names[n.oid] = n.name;
    lookup->namespace_oids[n.name] = n.oid;
  }
  for (const auto& schema : inputs.session.search_path) {
    if (lookup->namespace_oids.count(schema)) {
      lookup->current_schema = schema;
      break;
    }
  }
  for (const auto& r : AllRelations(inputs)) {
    bool visible = RelationIsVisible(inputs, r.schema, r.name);
    lookup->relations.insert(r.oid);
    if (visible) lookup->visible.insert(r.oid);
    lookup->relation_names[r.oid] = visible
                                        ? QuoteIdentifier(r.name)
                                        : QuoteIdentifier(r.schema) + "." + QuoteIdentifier(r.name);
    lookup->relation_oids[r.schema + "." + r.name] = r.oid;
    if (visible) lookup->relation_oids[r.name] = r.oid;
    if (r.view) lookup->view_definitions[r.oid] = " " + r.view->query_text + ";";
  }
  return lookup;
}

bool IsCatalogFunction(const std::string& name) { return CatalogFunctionNames().count(name) > 0; }

std::string OidAliasCastFunction(const std::string& alias_type, const LogicalType& from) {
  if (alias_type != "regclass" && alias_type != "regtype" && alias_type != "regnamespace" &&
      alias_type != "regproc") {
    return "";
  }
  if (IsVarcharOrNull(from)) return alias_type + "_in";
  if (from.IsInteger()) return alias_type + "_out";
  return "";
}

std::optional<BoundScalarFunction> BindCatalogFunction(const std::string& name,
                                                       const std::vector<LogicalType>& args,
                                                       const Lookup& lookup) {
  const CatalogLookup& l = *lookup;
  // Every lambda captures `lookup` (shared) so the data lives as long as the plan.
  if (name == "regclass_in") {
    return Strict(name, args, "t", kOid, [lookup](const std::vector<Value>& v) {
      return Value::Bigint(RegclassIn(*lookup, v[0].GetString()));
    });
  }
  if (name == "to_regclass") {
    return Strict(name, args, "t", kOid, [lookup](const std::vector<Value>& v) {
      try {
        return Value::Bigint(RegclassIn(*lookup, v[0].GetString()));
      } catch (const BasaltError&) {
        return Value::Null(kOid);
      }
    });
  }
  if (name == "regclass_out") {
    return Strict(name, args, "o", kText, [lookup](const std::vector<Value>& v) {
      auto it = lookup->relation_names.find(v[0].GetInt64());
      return Value::Varchar(it != lookup->relation_names.end() ? it->second
                                                               : std::to_string(v[0].GetInt64()));
    });
  }
  if (name == "regnamespace_in") {
    return Strict(name, args, "t", kOid, [lookup](const std::vector<Value>& v) {
      return Value::Bigint(RegnamespaceIn(*lookup, v[0].GetString()));
    });
  }
  if (name == "regnamespace_out") {
    return Strict(name, args, "o", kText, [lookup](const std::vector<Value>& v) {
      auto it = lookup->namespace_names.find(v[0].GetInt64());
      return Value::Varchar(it != lookup->namespace_names.end() ? QuoteIdentifier(it->second)
                                                                : std::to_string(v[0].GetInt64()));
    });
  }
  if (name == "regtype_in") {
    return Strict(name, args, "t", kOid, [](const std::vector<Value>& v) {
      return Value::Bigint(RegtypeIn(v[0].GetString()));
    });
  }
  if (name == "to_regtype") {
    return Strict(name, args, "t", kOid, [](const std::vector<Value>& v) {
      try {
        return Value::Bigint(RegtypeIn(v[0].GetString()));
      } catch (const BasaltError&) {
        return Value::Null(kOid);
      }
    });
  }
  if (name == "regtype_out") {
    return Strict(name, args, "o", kText, [](const std::vector<Value>& v) {
      if (!FindPgType(v[0].GetInt64())) return Value::Varchar(std::to_string(v[0].GetInt64()));
      return Value::Varchar(PgFormatType(v[0].GetInt64(), std::nullopt));
    });
  }
  if (name == "regproc_in") {
    // pg_proc is empty: Basalt's functions are not catalog objects yet.
    return Strict(name, args, "t", kOid, [](const std::vector<Value>& v) -> Value {
      if (auto oid = NumericOid(v[0].GetString())) return Value::Bigint(*oid);
      ThrowError(sqlstate::kUndefinedFunction, "function \"{}\" does not exist", v[0].GetString());
    });
  }
  if (name == "regproc_out") {
    return Strict(name, args, "o", kText, [](const std::vector<Value>& v) {
      return Value::Varchar(v[0].GetInt64() == 0 ? "-" : std::to_string(v[0].GetInt64()));
    });
  }
  if (name == "pg_table_is_visible") {
    // NULL for an oid that names no relation, as in PostgreSQL.
    return Strict(name, args, "o", kBool, [lookup](const std::vector<Value>& v) {
      int64_t oid = v[0].GetInt64();
      if (!lookup->relations.count(oid)) return Value::Null(kBool);
      return Value::Boolean(lookup->visible.count(oid) > 0);
    });
  }
  if (name == "pg_type_is_visible") {
    return Strict(name, args, "o", kBool, [](const std::vector<Value>& v) {
      if (!FindPgType(v[0].GetInt64())) return Value::Null(kBool);
      return Value::Boolean(true);
    });
  }
  if (name == "pg_get_userbyid") {
    return Strict(name, args, "o", kText, [lookup](const std::vector<Value>& v) {
      if (v[0].GetInt64() == kBasaltRoleOid) return Value::Varchar(lookup->session.user);
      return Value::Varchar(fmt::format("unknown (OID={})", v[0].GetInt64()));
    });
  }
  if (name == "format_type") {
    // Not strict in the modifier: NULL means "no modifier".
    if (!Matches(args, "oo")) return std::nullopt;
    return MakeRowFunction(name, {kOid, kInt4}, kText, [](const std::vector<Value>& v) {
      if (v[0].IsNull()) return NullText();
      std::optional<int32_t> typmod;
      if (!v[1].IsNull()) typmod = static_cast<int32_t>(v[1].GetInt64());
      return Value::Varchar(PgFormatType(v[0].GetInt64(), typmod));
    });
  }
  if (name == "obj_description" || name == "shobj_description" || name == "col_description") {
    // Basalt has no COMMENT ON yet, so every object is undescribed.
    const char* pattern = name == "col_description" ? "oo" : (args.size() == 1 ? "o" : "ot");
    return Strict(name, args, pattern, kText, [](const std::vector<Value>&) { return NullText(); });
  }
  if (name == "pg_get_expr") {
    // Stored expressions (pg_node_tree columns) are kept as SQL text.
    const char* pattern = args.size() == 3 ? "tob" : "to";
    return Strict(name, args, pattern, kText, [](const std::vector<Value>& v) { return v[0]; });
  }
  if (name == "pg_encoding_to_char") {
    return Strict(name, args, "o", kText, [](const std::vector<Value>& v) {
      switch (v[0].GetInt64()) {
        case 0:
          return Value::Varchar("SQL_ASCII");
        case 6:
          return Value::Varchar("UTF8");
        default:
          return Value::Varchar("");
      }
    });
  }
  if (name.rfind("has_", 0) == 0 && name.size() > 10 && name.ends_with("_privilege")) {
    // One user with every privilege: always true (NULL for NULL input).
    if (args.size() < 2 || args.size() > 4) return std::nullopt;
    std::string pattern(args.size(), '*');
    return Strict(name, args, pattern.c_str(), kBool,
                  [](const std::vector<Value>&) { return Value::Boolean(true); });
  }
  if (name == "pg_function_is_visible") {
    // pg_proc is empty: no oid names a function.
    return Strict(name, args, "o", kBool,
                  [](const std::vector<Value>&) { return Value::Null(kBool); });
  }
  if (name == "pg_get_indexdef" || name == "pg_get_constraintdef" ||
      name == "pg_get_statisticsobjdef_columns" || name == "pg_get_function_arguments" ||
      name == "pg_get_function_result") {
    // No indexes, constraints, statistics objects or catalogued functions:
    // every oid is unknown, which PostgreSQL answers with NULL.
    const char* pattern = args.size() == 1 ? "o" : args.size() == 2 ? "ob" : "oob";
    return Strict(name, args, pattern, kText, [](const std::vector<Value>&) { return NullText(); });
  }
  if (name == "pg_get_viewdef") {
    const char* pattern = args.size() == 1 ? "o" : "ob";
    return Strict(name, args, pattern, kText, [lookup](const std::vector<Value>& v) {
      auto it = lookup->view_definitions.find(v[0].GetInt64());
      return it == lookup->view_definitions.end() ? NullText() : Value::Varchar(it->second);
    });
  }
  if (name == "pg_relation_is_publishable") {
    // Publications (logical replication) do not exist in Basalt.
    return Strict(name, args, args.size() == 1 && IsVarcharOrNull(args[0]) ? "t" : "o", kBool,
                  [](const std::vector<Value>&) { return Value::Boolean(false); });
  }
  if (name == "current_schemas") {
    // The existing schemas of the search path, pg_catalog first when
    // `include_implicit`, as an array in its text form.
    return Strict(name, args, "b", kText, [lookup](const std::vector<Value>& v) {
      std::string out = "{";
      auto add = [&](const std::string& schema) {
        if (out.size() > 1) out += ",";
        out += schema;
      };
      if (v[0].GetBool()) add(kPgCatalogSchema);
      for (const auto& schema : lookup->session.search_path) {
        if (lookup->namespace_oids.count(schema)) add(schema);
      }
      return Value::Varchar(out + "}");
    });
  }
  // Session values: constants for the statement.
  std::optional<std::string> constant;
  if (name == "current_schema") {
    if (!args.empty()) return std::nullopt;
    if (l.current_schema.empty()) {
      return MakeRowFunction(name, {}, kText, [](const std::vector<Value>&) { return NullText(); });
    }
    constant = l.current_schema;
  } else if (name == "current_database" || name == "current_catalog") {
    constant = l.session.database;
  } else if (name == "current_user" || name == "session_user" || name == "current_role" ||
             name == "user") {
    constant = l.session.user;
  } else if (name == "version") {
    constant = std::string("PostgreSQL ") + kPgServerVersion;
  }
  if (!constant || !args.empty()) return std::nullopt;
  return MakeRowFunction(name, {}, kText, [value = *constant](const std::vector<Value>&) {
    return Value::Varchar(value);
  });
}

}  // namespace basalt
