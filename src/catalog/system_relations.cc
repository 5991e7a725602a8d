#include "catalog/system_relations.h"

#include <algorithm>

#include "common/pg_types.h"

namespace basalt {

std::vector<SystemNamespace> AllNamespaces(const SystemTableInputs& inputs) {
  std::vector<SystemNamespace> namespaces = {{kPgCatalogSchema, kPgCatalogOid},
                                             {kInformationSchema, kInformationSchemaOid},
                                             {kSysSchema, kSysSchemaOid}};
  for (const auto& s : inputs.catalog.schemas) namespaces.push_back({s.name, s.oid});
  return namespaces;
}

namespace {

SystemAttribute UserAttribute(const TableColumn& c) {
  PgTypeInfo pg = PgTypeOf(c.type);
  return {c.name, c.type, pg.oid, pg.modifier, c.not_null};
}

}  // namespace

std::vector<SystemRelation> AllRelations(const SystemTableInputs& inputs) {
  std::vector<SystemRelation> relations;
  for (const auto& s : inputs.catalog.schemas) {
    for (const auto& t : s.tables) {
      // An external table stays relkind 'r': for 'f' (foreign table) psql's
      // \d reads pg_foreign_table / pg_foreign_server, which Basalt lacks,
      // and would show nothing.
      SystemRelation r{t->oid, t->name, s.name, s.oid, 'r', {}, nullptr};
      r.external = t->external != nullptr;
      for (const auto& c : t->columns) r.attributes.push_back(UserAttribute(c));
      relations.push_back(std::move(r));
    }
    for (const auto& v : s.views) {
      SystemRelation r{v->oid, v->name, s.name, s.oid, 'v', {}, v.get()};
      for (const auto& c : v->columns) r.attributes.push_back(UserAttribute(c));
      relations.push_back(std::move(r));
    }
  }
  for (const auto& t : SystemTables::Get().All()) {
    uint32_t schema_oid = SystemTables::SchemaOid(t.schema);
    SystemRelation r{t.oid, t.name, t.schema, schema_oid, t.relkind, {}, nullptr};
    for (const auto& c : t.columns) r.attributes.push_back({c.name, c.type, c.pg_type, -1, false});
    relations.push_back(std::move(r));
  }
  return relations;
}

bool RelationIsVisible(const SystemTableInputs& inputs, const std::string& schema,
                       const std::string& name) {
  std::vector<std::string> path = {kPgCatalogSchema};
  for (const auto& s : inputs.session.search_path) path.push_back(s);
  for (const auto& searched : path) {
    bool found = false;
    if (SystemTables::IsSystemSchema(searched)) {
      found = SystemTables::Get().Find(searched, name) != nullptr;
    } else {
      for (const auto& s : inputs.catalog.schemas) {
        if (s.name != searched) continue;
        auto has = [&](const auto& list) {
          return std::any_of(list.begin(), list.end(),
                             [&](const auto& e) { return e->name == name; });
        };
        found = has(s.tables) || has(s.views);
      }
    }
    if (found) return searched == schema;
  }
  return false;
}

}  // namespace basalt
