// The SQL standard's information_schema views most tools read: schemata,
// tables and columns, with PostgreSQL 15's column names. PostgreSQL types
// their columns with domains (sql_identifier, cardinal_number, yes_or_no);
// here they are the underlying name, integer and varchar.
#include "catalog/system_relations.h"
#include "catalog/system_table.h"
#include "common/pg_types.h"

namespace basalt {
namespace {

Value Str(std::string s) { return Value::Varchar(std::move(s)); }
Value I4(int v) { return Value::Integer(v); }
Value Null() { return Value::Null(); }
Value YesNo(bool b) { return Str(b ? "YES" : "NO"); }

void SchemataRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& n : AllNamespaces(in)) {
    rows.Add({Str(in.session.database), Str(n.name), Str(in.session.user), Null(), Null(), Null(),
              Null()});
  }
}

void TablesRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& r : AllRelations(in)) {
    bool user_table = r.kind == 'r' && !r.external && !SystemTables::IsSystemSchema(r.schema);
    rows.Add({Str(in.session.database), Str(r.schema), Str(r.name),
              Str(r.kind == 'v' ? "VIEW" : r.external ? "EXTERNAL" : "BASE TABLE"), Null(), Null(),
              Null(), Null(), Null(), YesNo(user_table), Str("NO"), Null()});
  }
}

// numeric_precision, its radix and numeric_scale, as PostgreSQL reports them.
struct NumericFacts {
  Value precision = Null();
  Value radix = Null();
  Value scale = Null();
};

NumericFacts NumericFactsOf(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kSmallint:
      return {I4(16), I4(2), I4(0)};
    case TypeId::kInteger:
      return {I4(32), I4(2), I4(0)};
    case TypeId::kBigint:
      return {I4(64), I4(2), I4(0)};
    case TypeId::kReal:
      return {I4(24), I4(2), Null()};
    case TypeId::kDouble:
      return {I4(53), I4(2), Null()};
    case TypeId::kDecimal:
      return {I4(type.precision()), I4(10), I4(type.scale())};
    default:
      return {};
  }
}

Value DatetimePrecisionOf(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kDate:
      return I4(0);
    case TypeId::kTimestamp:
    case TypeId::kInterval:
      return I4(6);
    default:
      return Null();
  }
}

void ColumnsRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& r : AllRelations(in)) {
    int position = 0;
    for (const auto& a : r.attributes) {
      const PgBuiltinType* type = FindPgType(a.pg_type);
      bool array = type && type->category == 'A';
      std::string data_type = array ? "ARRAY" : PgFormatType(a.pg_type, std::nullopt);
      NumericFacts numeric = NumericFactsOf(a.type);
      bool user = !SystemTables::IsSystemSchema(r.schema);
      rows.Add({Str(in.session.database),
                Str(r.schema),
                Str(r.name),
                Str(a.name),
                I4(++position),
                Null(),
                YesNo(!a.not_null),
                Str(data_type),
                Null(),
                a.pg_type == pg_oid::kText ? I4(1073741824) : Null(),
                numeric.precision,
                numeric.radix,
                numeric.scale,
                DatetimePrecisionOf(a.type),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Str(in.session.database),
                Str(kPgCatalogSchema),
                Str(type ? type->name : "text"),
                Null(),
                Null(),
                Null(),
                Null(),
                Str(std::to_string(position)),
                Str("NO"),
                Str("NO"),
                Null(),
                Null(),
                Null(),
                Null(),
                Null(),
                Str("NO"),
                Str("NEVER"),
                Null(),
                YesNo(user && r.kind == 'r' && !r.external)});
    }
  }
}

SystemColumn Identifier(std::string name) { return NameColumn(std::move(name)); }
SystemColumn Characters(std::string name) {
  return {std::move(name), TypeId::kVarchar, pg_oid::kVarchar};
}
SystemColumn Cardinal(std::string name) { return Int4Column(std::move(name)); }

SystemTable View(std::string name, uint32_t oid, std::vector<SystemColumn> columns,
                 void (*produce)(const SystemTableInputs&, SystemRows&)) {
  return SystemTable{kInformationSchema, std::move(name), oid, 'v', std::move(columns), produce};
}

}  // namespace

void RegisterInformationSchemaTables(SystemTables& tables) {
  tables.Add(
      View("schemata", 13001,
           {Identifier("catalog_name"), Identifier("schema_name"), Identifier("schema_owner"),
            Identifier("default_character_set_catalog"), Identifier("default_character_set_schema"),
            Identifier("default_character_set_name"), Characters("sql_path")},
           SchemataRows));
  tables.Add(
      View("tables", 13002,
           {Identifier("table_catalog"), Identifier("table_schema"), Identifier("table_name"),
            Characters("table_type"), Identifier("self_referencing_column_name"),
            Characters("reference_generation"), Identifier("user_defined_type_catalog"),
            Identifier("user_defined_type_schema"), Identifier("user_defined_type_name"),
            Characters("is_insertable_into"), Characters("is_typed"), Characters("commit_action")},
           TablesRows));
  tables.Add(View("columns", 13003,
                  {Identifier("table_catalog"),
                   Identifier("table_schema"),
                   Identifier("table_name"),
                   Identifier("column_name"),
                   Cardinal("ordinal_position"),
                   Characters("column_default"),
                   Characters("is_nullable"),
                   Characters("data_type"),
                   Cardinal("character_maximum_length"),
                   Cardinal("character_octet_length"),
                   Cardinal("numeric_precision"),
                   Cardinal("numeric_precision_radix"),
                   Cardinal("numeric_scale"),
                   Cardinal("datetime_precision"),
                   Characters("interval_type"),
                   Cardinal("interval_precision"),
                   Identifier("character_set_catalog"),
                   Identifier("character_set_schema"),
                   Identifier("character_set_name"),
                   Identifier("collation_catalog"),
                   Identifier("collation_schema"),
                   Identifier("collation_name"),
                   Identifier("domain_catalog"),
                   Identifier("domain_schema"),
                   Identifier("domain_name"),
                   Identifier("udt_catalog"),
                   Identifier("udt_schema"),
                   Identifier("udt_name"),
                   Identifier("scope_catalog"),
                   Identifier("scope_schema"),
                   Identifier("scope_name"),
                   Cardinal("maximum_cardinality"),
                   Identifier("dtd_identifier"),
                   Characters("is_self_referencing"),
                   Characters("is_identity"),
                   Characters("identity_generation"),
                   Characters("identity_start"),
                   Characters("identity_increment"),
                   Characters("identity_maximum"),
                   Characters("identity_minimum"),
                   Characters("identity_cycle"),
                   Characters("is_generated"),
                   Characters("generation_expression"),
                   Characters("is_updatable")},
                  ColumnsRows));
}

}  // namespace basalt
