// PostgreSQL's catalog functions and OID-alias casts (regclass, regtype,
// regnamespace), which clients call in their catalog queries:
// pg_table_is_visible, pg_get_userbyid, format_type, obj_description,
// pg_get_expr, has_table_privilege, current_schema(), version(), ...
//
// Basalt has no reg* types: `'name'::regclass` is the relation's oid (a
// BIGINT) and `oid::regclass` is its name (VARCHAR), the two directions
// catalog queries use (comparing with oid columns, printing names). See
// docs/system_tables.md.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/system_table.h"
#include "exec/function.h"

namespace basalt {

// What the functions look up, taken from one catalog snapshot and session
// when a statement is bound; read-only afterwards, shared by the plan.
struct CatalogLookup;
std::shared_ptr<const CatalogLookup> MakeCatalogLookup(const SystemTableInputs& inputs);

bool IsCatalogFunction(const std::string& name);
// nullopt when `name` is a catalog function but not for these argument
// types. Lookup errors (unknown relation in regclass_in) are raised when
// the function runs, so constant arguments fail at bind time with the
// position of the call.
std::optional<BoundScalarFunction> BindCatalogFunction(
    const std::string& name, const std::vector<LogicalType>& arg_types,
    const std::shared_ptr<const CatalogLookup>& lookup);

// The function a cast to a PostgreSQL OID-alias type becomes, from
// `from`: "regclass_in" (text -> oid) or "regclass_out" (oid -> name), and
// the same for regtype, regnamespace and regproc; empty when the cast
// makes no sense.
std::string OidAliasCastFunction(const std::string& alias_type, const LogicalType& from);

}  // namespace basalt
