// The pg_catalog tables PostgreSQL clients read (psql's \d family, JDBC's
// DatabaseMetaData, GUI schema browsers), with PostgreSQL 15's column names
// and types. Tables for features Basalt does not have (indexes, constraints
// beyond NOT NULL, inheritance, policies, publications, comments) exist so
// that clients' queries bind, and are empty.
#include <fmt/format.h>

#include "catalog/system_relations.h"
#include "catalog/system_table.h"
#include "common/pg_types.h"

namespace basalt {
namespace {

Value Oid(int64_t oid) { return Value::Bigint(oid); }
Value Str(std::string s) { return Value::Varchar(std::move(s)); }
Value Ch(char c) { return Value::Varchar(std::string(1, c)); }
Value B(bool b) { return Value::Boolean(b); }
Value I2(int v) { return Value::Smallint(static_cast<int16_t>(v)); }
Value I4(int v) { return Value::Integer(v); }
Value Null() { return Value::Null(); }

// Fixed oids of the system objects, from PostgreSQL where it has one.
constexpr uint32_t kHeapAmOid = 2;
constexpr uint32_t kBtreeAmOid = 403;
constexpr uint32_t kDefaultTablespaceOid = 1663;
constexpr int kUtf8Encoding = 6;

void NoRows(const SystemTableInputs&, SystemRows&) {}

void NamespaceRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& n : AllNamespaces(in))
    rows.Add({Oid(n.oid), Str(n.name), Oid(kBasaltRoleOid), Null()});
}

void ClassRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& r : AllRelations(in)) {
    bool table = r.kind == 'r';
    rows.Add({Oid(r.oid),
              Str(r.name),
              Oid(r.schema_oid),
              Oid(0),
              Oid(0),
              Oid(kBasaltRoleOid),
              Oid(table ? kHeapAmOid : 0),
              Oid(table ? r.oid : 0),
              Oid(0),
              I4(0),
              Value::Real(-1),
              I4(0),
              Oid(0),
              B(false),
              B(false),
              Ch('p'),
              Ch(r.kind),
              I2(static_cast<int>(r.attributes.size())),
              I2(0),
              B(false),
              B(false),
              B(false),
              B(false),
              B(false),
              B(true),
              Ch(table ? 'd' : 'n'),
              B(false),
              Oid(0),
              Null(),
              Null(),
              Null()});
  }
}

void AttributeRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& r : AllRelations(in)) {
    int number = 0;
    for (const auto& a : r.attributes) {
      const PgBuiltinType* type = FindPgType(a.pg_type);
      int length = type ? type->length : -1;
      bool by_value = type && type->by_value;
      bool collatable =
          a.pg_type == pg_oid::kText || a.pg_type == pg_oid::kVarchar || a.pg_type == pg_oid::kName;
      rows.Add({Oid(r.oid),
                Str(a.name),
                Oid(a.pg_type),
                I4(-1),
                I2(length),
                I2(++number),
                I4(0),
                I4(-1),
                I4(a.typmod),
                B(by_value),
                Ch(length == 8 || length < 0 ? 'd' : 'i'),
                Ch(length < 0 ? 'x' : 'p'),
                Str(""),
                B(a.not_null),
                B(false),
                B(false),
                Str(""),
                Str(""),
                B(false),
                B(true),
                I4(0),
                Oid(collatable ? 100 : 0),
                Null(),
                Null(),
                Null(),
                Null()});
    }
  }
}

void TypeRows(const SystemTableInputs&, SystemRows& rows) {
  for (const auto& t : PgBuiltinTypes()) {
    bool array = t.category == 'A';
    bool collatable = t.oid == pg_oid::kText || t.oid == pg_oid::kVarchar ||
                      t.oid == pg_oid::kBpchar || t.oid == pg_oid::kName;
    rows.Add({Oid(t.oid),
              Str(t.name),
              Oid(kPgCatalogOid),
              Oid(kBasaltRoleOid),
              I2(t.length),
              B(t.by_value),
              Ch('b'),
              Ch(t.category),
              B(false),
              B(true),
              Ch(','),
              Oid(0),
              Str(array ? "array_subscript_handler" : "-"),
              Oid(0),
              Oid(0),
              Str(fmt::format("{}in", array ? "array_" : t.name)),
              Str(fmt::format("{}out", array ? "array_" : t.name)),
              Str("-"),
              Str("-"),
              Str("-"),
              Str("-"),
              Str("-"),
              Ch(t.length == 8 || t.length < 0 ? 'd' : 'i'),
              Ch(t.length < 0 ? 'x' : 'p'),
              B(false),
              Oid(0),
              I4(-1),
              I4(0),
              Oid(collatable ? 100 : 0),
              Null(),
              Null(),
              Null()});
  }
}

void DatabaseRows(const SystemTableInputs& in, SystemRows& rows) {
  rows.Add({Oid(kBasaltDatabaseOid), Str(in.session.database), Oid(kBasaltRoleOid),
            I4(kUtf8Encoding), Ch('c'), B(false), B(true), I4(-1), Oid(kDefaultTablespaceOid),
            Str("C.UTF-8"), Str("C.UTF-8"), Null(), Null(), Null()});
}

void SettingsRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& [name, value] : in.session.settings) {
    rows.Add({Str(name), Str(value), Null(), Str("Basalt"), Str(""), Null(), Str("user"),
              Str("string"), Str("session"), Null(), Null(), Null(), Null(), Str(value), Null(),
              Null(), B(false)});
  }
}

void RolesRows(const SystemTableInputs& in, SystemRows& rows) {
  rows.Add({Str(in.session.user), B(true), B(true), B(true), B(true), B(true), B(true), I4(-1),
            Str("********"), Null(), B(true), Null(), Oid(kBasaltRoleOid)});
}

void UserRows(const SystemTableInputs& in, SystemRows& rows) {
  rows.Add({Str(in.session.user), Oid(kBasaltRoleOid), B(true), B(true), B(true), B(true),
            Str("********"), Null(), Null()});
}

void AmRows(const SystemTableInputs&, SystemRows& rows) {
  rows.Add({Oid(kHeapAmOid), Str("heap"), Str("heap_tableam_handler"), Ch('t')});
  rows.Add({Oid(kBtreeAmOid), Str("btree"), Str("bthandler"), Ch('i')});
}

void CollationRows(const SystemTableInputs&, SystemRows& rows) {
  rows.Add({Oid(100), Str("default"), Oid(kPgCatalogOid), Oid(kBasaltRoleOid), Ch('d'), B(true),
            I4(-1), Null(), Null(), Null(), Null()});
  rows.Add({Oid(950), Str("C"), Oid(kPgCatalogOid), Oid(kBasaltRoleOid), Ch('c'), B(true), I4(-1),
            Str("C"), Str("C"), Null(), Null()});
  rows.Add({Oid(951), Str("POSIX"), Oid(kPgCatalogOid), Oid(kBasaltRoleOid), Ch('c'), B(true),
            I4(-1), Str("POSIX"), Str("POSIX"), Null(), Null()});
}

void TablespaceRows(const SystemTableInputs&, SystemRows& rows) {
  rows.Add({Oid(kDefaultTablespaceOid), Str("pg_default"), Oid(kBasaltRoleOid), Null(), Null()});
  rows.Add({Oid(1664), Str("pg_global"), Oid(kBasaltRoleOid), Null(), Null()});
}

void TablesRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& r : AllRelations(in)) {
    if (r.kind != 'r') continue;
    rows.Add({Str(r.schema), Str(r.name), Str(in.session.user), Null(), B(false), B(false),
              B(false), B(false)});
  }
}

void ViewsRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& r : AllRelations(in)) {
    if (r.kind != 'v') continue;
    rows.Add({Str(r.schema), Str(r.name), Str(in.session.user),
              r.view ? Str(r.view->query_text) : Null()});
  }
}

SystemTable Table(std::string name, uint32_t oid, char relkind, std::vector<SystemColumn> columns,
                  void (*produce)(const SystemTableInputs&, SystemRows&)) {
  return SystemTable{kPgCatalogSchema, std::move(name), oid, relkind, std::move(columns), produce};
}

}  // namespace

void RegisterPgCatalogTables(SystemTables& tables) {
  // Column lists are PostgreSQL 15's, in its order (system columns aside).
  tables.Add(Table("pg_namespace", 2615, 'r',
                   {OidColumn("oid"), NameColumn("nspname"), OidColumn("nspowner"),
                    ArrayColumn("nspacl", pg_oid::kAclitemArray)},
                   NamespaceRows));
  tables.Add(Table("pg_class", 1259, 'r',
                   {OidColumn("oid"),
                    NameColumn("relname"),
                    OidColumn("relnamespace"),
                    OidColumn("reltype"),
                    OidColumn("reloftype"),
                    OidColumn("relowner"),
                    OidColumn("relam"),
                    OidColumn("relfilenode"),
                    OidColumn("reltablespace"),
                    Int4Column("relpages"),
                    Float4Column("reltuples"),
                    Int4Column("relallvisible"),
                    OidColumn("reltoastrelid"),
                    BoolColumn("relhasindex"),
                    BoolColumn("relisshared"),
                    CharColumn("relpersistence"),
                    CharColumn("relkind"),
                    Int2Column("relnatts"),
                    Int2Column("relchecks"),
                    BoolColumn("relhasrules"),
                    BoolColumn("relhastriggers"),
                    BoolColumn("relhassubclass"),
                    BoolColumn("relrowsecurity"),
                    BoolColumn("relforcerowsecurity"),
                    BoolColumn("relispopulated"),
                    CharColumn("relreplident"),
                    BoolColumn("relispartition"),
                    OidColumn("relrewrite"),
                    ArrayColumn("relacl", pg_oid::kAclitemArray),
                    ArrayColumn("reloptions", pg_oid::kTextArray),
                    {"relpartbound", TypeId::kVarchar, pg_oid::kPgNodeTree}},
                   ClassRows));
  tables.Add(Table("pg_attribute", 1249, 'r',
                   {OidColumn("attrelid"),
                    NameColumn("attname"),
                    OidColumn("atttypid"),
                    Int4Column("attstattarget"),
                    Int2Column("attlen"),
                    Int2Column("attnum"),
                    Int4Column("attndims"),
                    Int4Column("attcacheoff"),
                    Int4Column("atttypmod"),
                    BoolColumn("attbyval"),
                    CharColumn("attalign"),
                    CharColumn("attstorage"),
                    CharColumn("attcompression"),
                    BoolColumn("attnotnull"),
                    BoolColumn("atthasdef"),
                    BoolColumn("atthasmissing"),
                    CharColumn("attidentity"),
                    CharColumn("attgenerated"),
                    BoolColumn("attisdropped"),
                    BoolColumn("attislocal"),
                    Int4Column("attinhcount"),
                    OidColumn("attcollation"),
                    ArrayColumn("attacl", pg_oid::kAclitemArray),
                    ArrayColumn("attoptions", pg_oid::kTextArray),
                    ArrayColumn("attfdwoptions", pg_oid::kTextArray),
                    TextColumn("attmissingval")},
                   AttributeRows));
  tables.Add(Table("pg_type", 1247, 'r',
                   {OidColumn("oid"),
                    NameColumn("typname"),
                    OidColumn("typnamespace"),
                    OidColumn("typowner"),
                    Int2Column("typlen"),
                    BoolColumn("typbyval"),
                    CharColumn("typtype"),
                    CharColumn("typcategory"),
                    BoolColumn("typispreferred"),
                    BoolColumn("typisdefined"),
                    CharColumn("typdelim"),
                    OidColumn("typrelid"),
                    TextColumn("typsubscript"),
                    OidColumn("typelem"),
                    OidColumn("typarray"),
                    TextColumn("typinput"),
                    TextColumn("typoutput"),
                    TextColumn("typreceive"),
                    TextColumn("typsend"),
                    TextColumn("typmodin"),
                    TextColumn("typmodout"),
                    TextColumn("typanalyze"),
                    CharColumn("typalign"),
                    CharColumn("typstorage"),
                    BoolColumn("typnotnull"),
                    OidColumn("typbasetype"),
                    Int4Column("typtypmod"),
                    Int4Column("typndims"),
                    OidColumn("typcollation"),
                    {"typdefaultbin", TypeId::kVarchar, pg_oid::kPgNodeTree},
                    TextColumn("typdefault"),
                    ArrayColumn("typacl", pg_oid::kAclitemArray)},
                   TypeRows));
  tables.Add(
      Table("pg_database", 1262, 'r',
            {OidColumn("oid"), NameColumn("datname"), OidColumn("datdba"), Int4Column("encoding"),
             CharColumn("datlocprovider"), BoolColumn("datistemplate"), BoolColumn("datallowconn"),
             Int4Column("datconnlimit"), OidColumn("dattablespace"), TextColumn("datcollate"),
             TextColumn("datctype"), TextColumn("daticulocale"), TextColumn("datcollversion"),
             ArrayColumn("datacl", pg_oid::kAclitemArray)},
            DatabaseRows));
  tables.Add(Table(
      "pg_settings", 12000, 'v',
      {TextColumn("name"), TextColumn("setting"), TextColumn("unit"), TextColumn("category"),
       TextColumn("short_desc"), TextColumn("extra_desc"), TextColumn("context"),
       TextColumn("vartype"), TextColumn("source"), TextColumn("min_val"), TextColumn("max_val"),
       ArrayColumn("enumvals", pg_oid::kTextArray), TextColumn("boot_val"), TextColumn("reset_val"),
       TextColumn("sourcefile"), Int4Column("sourceline"), BoolColumn("pending_restart")},
      SettingsRows));
  tables.Add(Table("pg_roles", 12001, 'v',
                   {NameColumn("rolname"),
                    BoolColumn("rolsuper"),
                    BoolColumn("rolinherit"),
                    BoolColumn("rolcreaterole"),
                    BoolColumn("rolcreatedb"),
                    BoolColumn("rolcanlogin"),
                    BoolColumn("rolreplication"),
                    Int4Column("rolconnlimit"),
                    TextColumn("rolpassword"),
                    {"rolvaliduntil", TypeId::kTimestamp, pg_oid::kTimestamp},
                    BoolColumn("rolbypassrls"),
                    ArrayColumn("rolconfig", pg_oid::kTextArray),
                    OidColumn("oid")},
                   RolesRows));
  tables.Add(Table("pg_user", 12002, 'v',
                   {NameColumn("usename"),
                    OidColumn("usesysid"),
                    BoolColumn("usecreatedb"),
                    BoolColumn("usesuper"),
                    BoolColumn("userepl"),
                    BoolColumn("usebypassrls"),
                    TextColumn("passwd"),
                    {"valuntil", TypeId::kTimestamp, pg_oid::kTimestamp},
                    ArrayColumn("useconfig", pg_oid::kTextArray)},
                   UserRows));
  tables.Add(
      Table("pg_am", 2601, 'r',
            {OidColumn("oid"), NameColumn("amname"), TextColumn("amhandler"), CharColumn("amtype")},
            AmRows));
  tables.Add(
      Table("pg_collation", 3456, 'r',
            {OidColumn("oid"), NameColumn("collname"), OidColumn("collnamespace"),
             OidColumn("collowner"), CharColumn("collprovider"), BoolColumn("collisdeterministic"),
             Int4Column("collencoding"), TextColumn("collcollate"), TextColumn("collctype"),
             TextColumn("colliculocale"), TextColumn("collversion")},
            CollationRows));
  tables.Add(Table(
      "pg_tablespace", 1213, 'r',
      {OidColumn("oid"), NameColumn("spcname"), OidColumn("spcowner"),
       ArrayColumn("spcacl", pg_oid::kAclitemArray), ArrayColumn("spcoptions", pg_oid::kTextArray)},
      TablespaceRows));
  tables.Add(Table("pg_auth_members", 1261, 'r',
                   {OidColumn("roleid"), OidColumn("member"), OidColumn("grantor"),
                    BoolColumn("admin_option")},
                   NoRows));
  tables.Add(Table("pg_description", 2609, 'r',
                   {OidColumn("objoid"), OidColumn("classoid"), Int4Column("objsubid"),
                    TextColumn("description")},
                   NoRows));
  tables.Add(Table("pg_attrdef", 2604, 'r',
                   {OidColumn("oid"),
                    OidColumn("adrelid"),
                    Int2Column("adnum"),
                    {"adbin", TypeId::kVarchar, pg_oid::kPgNodeTree}},
                   NoRows));
  tables.Add(Table("pg_index", 2610, 'r',
                   {OidColumn("indexrelid"),
                    OidColumn("indrelid"),
                    Int2Column("indnatts"),
                    Int2Column("indnkeyatts"),
                    BoolColumn("indisunique"),
                    BoolColumn("indnullsnotdistinct"),
                    BoolColumn("indisprimary"),
                    BoolColumn("indisexclusion"),
                    BoolColumn("indimmediate"),
                    BoolColumn("indisclustered"),
                    BoolColumn("indisvalid"),
                    BoolColumn("indcheckxmin"),
                    BoolColumn("indisready"),
                    BoolColumn("indislive"),
                    BoolColumn("indisreplident"),
                    ArrayColumn("indkey", pg_oid::kInt2Vector),
                    ArrayColumn("indcollation", pg_oid::kOidVector),
                    ArrayColumn("indclass", pg_oid::kOidVector),
                    ArrayColumn("indoption", pg_oid::kInt2Vector),
                    {"indexprs", TypeId::kVarchar, pg_oid::kPgNodeTree},
                    {"indpred", TypeId::kVarchar, pg_oid::kPgNodeTree}},
                   NoRows));
  tables.Add(Table("pg_constraint", 2606, 'r',
                   {OidColumn("oid"),
                    NameColumn("conname"),
                    OidColumn("connamespace"),
                    CharColumn("contype"),
                    BoolColumn("condeferrable"),
                    BoolColumn("condeferred"),
                    BoolColumn("convalidated"),
                    OidColumn("conrelid"),
                    OidColumn("contypid"),
                    OidColumn("conindid"),
                    OidColumn("conparentid"),
                    OidColumn("confrelid"),
                    CharColumn("confupdtype"),
                    CharColumn("confdeltype"),
                    CharColumn("confmatchtype"),
                    BoolColumn("conislocal"),
                    Int4Column("coninhcount"),
                    BoolColumn("connoinherit"),
                    ArrayColumn("conkey", pg_oid::kInt2Array),
                    ArrayColumn("confkey", pg_oid::kInt2Array),
                    ArrayColumn("conpfeqop", pg_oid::kOidArray),
                    ArrayColumn("conppeqop", pg_oid::kOidArray),
                    ArrayColumn("conffeqop", pg_oid::kOidArray),
                    ArrayColumn("confdelsetcols", pg_oid::kInt2Array),
                    ArrayColumn("conexclop", pg_oid::kOidArray),
                    {"conbin", TypeId::kVarchar, pg_oid::kPgNodeTree}},
                   NoRows));
  tables.Add(Table("pg_inherits", 2611, 'r',
                   {OidColumn("inhrelid"), OidColumn("inhparent"), Int4Column("inhseqno"),
                    BoolColumn("inhdetachpending")},
                   NoRows));
  tables.Add(Table("pg_proc", 1255, 'r',
                   {OidColumn("oid"),
                    NameColumn("proname"),
                    OidColumn("pronamespace"),
                    OidColumn("proowner"),
                    OidColumn("prolang"),
                    Float4Column("procost"),
                    Float4Column("prorows"),
                    OidColumn("provariadic"),
                    TextColumn("prosupport"),
                    CharColumn("prokind"),
                    BoolColumn("prosecdef"),
                    BoolColumn("proleakproof"),
                    BoolColumn("proisstrict"),
                    BoolColumn("proretset"),
                    CharColumn("provolatile"),
                    CharColumn("proparallel"),
                    Int2Column("pronargs"),
                    Int2Column("pronargdefaults"),
                    OidColumn("prorettype"),
                    ArrayColumn("proargtypes", pg_oid::kOidVector),
                    ArrayColumn("proallargtypes", pg_oid::kOidArray),
                    ArrayColumn("proargmodes", pg_oid::kCharArray),
                    ArrayColumn("proargnames", pg_oid::kTextArray),
                    {"proargdefaults", TypeId::kVarchar, pg_oid::kPgNodeTree},
                    ArrayColumn("protrftypes", pg_oid::kOidArray),
                    TextColumn("prosrc"),
                    TextColumn("probin"),
                    {"prosqlbody", TypeId::kVarchar, pg_oid::kPgNodeTree},
                    ArrayColumn("proconfig", pg_oid::kTextArray),
                    ArrayColumn("proacl", pg_oid::kAclitemArray)},
                   NoRows));
  tables.Add(Table("pg_policy", 3256, 'r',
                   {OidColumn("oid"),
                    NameColumn("polname"),
                    OidColumn("polrelid"),
                    CharColumn("polcmd"),
                    BoolColumn("polpermissive"),
                    ArrayColumn("polroles", pg_oid::kOidArray),
                    {"polqual", TypeId::kVarchar, pg_oid::kPgNodeTree},
                    {"polwithcheck", TypeId::kVarchar, pg_oid::kPgNodeTree}},
                   NoRows));
  tables.Add(Table("pg_statistic_ext", 3381, 'r',
                   {OidColumn("oid"),
                    OidColumn("stxrelid"),
                    NameColumn("stxname"),
                    OidColumn("stxnamespace"),
                    OidColumn("stxowner"),
                    Int4Column("stxstattarget"),
                    ArrayColumn("stxkeys", pg_oid::kInt2Vector),
                    ArrayColumn("stxkind", pg_oid::kCharArray),
                    {"stxexprs", TypeId::kVarchar, pg_oid::kPgNodeTree}},
                   NoRows));
  tables.Add(Table("pg_publication", 6104, 'r',
                   {OidColumn("oid"), NameColumn("pubname"), OidColumn("pubowner"),
                    BoolColumn("puballtables"), BoolColumn("pubinsert"), BoolColumn("pubupdate"),
                    BoolColumn("pubdelete"), BoolColumn("pubtruncate"), BoolColumn("pubviaroot")},
                   NoRows));
  tables.Add(Table("pg_publication_namespace", 6237, 'r',
                   {OidColumn("oid"), OidColumn("pnpubid"), OidColumn("pnnspid")}, NoRows));
  tables.Add(Table("pg_publication_rel", 6106, 'r',
                   {OidColumn("oid"),
                    OidColumn("prpubid"),
                    OidColumn("prrelid"),
                    {"prqual", TypeId::kVarchar, pg_oid::kPgNodeTree},
                    ArrayColumn("prattrs", pg_oid::kInt2Vector)},
                   NoRows));
  tables.Add(Table("pg_tables", 12003, 'v',
                   {NameColumn("schemaname"), NameColumn("tablename"), NameColumn("tableowner"),
                    NameColumn("tablespace"), BoolColumn("hasindexes"), BoolColumn("hasrules"),
                    BoolColumn("hastriggers"), BoolColumn("rowsecurity")},
                   TablesRows));
  tables.Add(Table("pg_views", 12004, 'v',
                   {NameColumn("schemaname"), NameColumn("viewname"), NameColumn("viewowner"),
                    TextColumn("definition")},
                   ViewsRows));
}

}  // namespace basalt
