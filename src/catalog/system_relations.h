// Every relation the system tables describe, user and system alike, in the
// shape pg_class / pg_attribute and information_schema need: shared by
// pg_catalog_tables.cc and information_schema_tables.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/system_table.h"

namespace basalt {

struct SystemAttribute {
  std::string name;
  LogicalType type;     // Basalt's type
  int32_t pg_type = 0;  // atttypid
  int32_t typmod = -1;  // atttypmod
  bool not_null = false;
};

struct SystemRelation {
  uint32_t oid = 0;
  std::string name;
  std::string schema;
  uint32_t schema_oid = 0;
  char kind = 'r';  // relkind
  std::vector<SystemAttribute> attributes;
  const ViewEntry* view = nullptr;  // set for user views
  bool external = false;            // an external table (kind 'r')
};

struct SystemNamespace {
  std::string name;
  uint32_t oid = 0;
};

// pg_catalog, information_schema, sys and the catalog's schemas, by oid order.
std::vector<SystemNamespace> AllNamespaces(const SystemTableInputs& inputs);
// User tables and views, then the system tables, each schema's by name.
std::vector<SystemRelation> AllRelations(const SystemTableInputs& inputs);
// Whether an unqualified reference to the relation finds it: its schema is
// searched (pg_catalog first, then search_path) and no earlier schema has a
// relation of that name.
bool RelationIsVisible(const SystemTableInputs& inputs, const std::string& schema,
                       const std::string& name);

}  // namespace basalt
