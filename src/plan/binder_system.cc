// Binding of system tables (catalog/system_table.h) and of the catalog
// functions that read the catalog and session.
#include "common/exception.h"
#include "exec/functions/catalog_functions.h"
#include "plan/binder.h"
#include "plan/binder_internal.h"

namespace basalt {

SystemTableInputs Binder::SystemInputs() {
  if (!shared_->session) shared_->session = std::make_shared<SessionInfo>();
  if (!shared_->catalog_snapshot) {
    shared_->catalog_snapshot = std::make_shared<CatalogSnapshot>(catalog_.Snapshot());
  }
  return SystemTableInputs{*shared_->catalog_snapshot, *shared_->session};
}

std::shared_ptr<const CatalogLookup> Binder::CatalogLookupForStatement() {
  if (!shared_->catalog_lookup) shared_->catalog_lookup = MakeCatalogLookup(SystemInputs());
  return shared_->catalog_lookup;
}

std::shared_ptr<TableEntry> Binder::FindSystemTable(const sql::BaseTableRef& ref) {
  const SystemTables& tables = SystemTables::Get();
  if (ref.schema.empty()) {
    // PostgreSQL searches pg_catalog before the search path.
    const SystemTable* table = tables.Find(kPgCatalogSchema, ref.name);
    return table ? table->Materialize(SystemInputs()) : nullptr;
  }
  if (!SystemTables::IsSystemSchema(ref.schema)) return nullptr;
  const SystemTable* table = tables.Find(ref.schema, ref.name);
  if (!table) {
    ThrowErrorAt(sqlstate::kUndefinedTable, ref.position, "relation \"{}.{}\" does not exist",
                 ref.schema, ref.name);
  }
  return table->Materialize(SystemInputs());
}

bool PlanIsKnownEmpty(const LogicalOperator& plan) {
  switch (plan.type) {
    case LogicalOperatorType::kGet: {
      const auto& get = static_cast<const LogicalGet&>(plan);
      // A system table's rows are this plan's own copy, made at bind time;
      // a user table may still gain rows before the plan runs.
      return SystemTables::IsSystemSchema(get.table->schema) && get.table->storage->RowCount() == 0;
    }
    case LogicalOperatorType::kFilter:
    case LogicalOperatorType::kProjection:
    case LogicalOperatorType::kOrder:
    case LogicalOperatorType::kLimit:
      return PlanIsKnownEmpty(*plan.children[0]);
    case LogicalOperatorType::kJoin: {
      auto type = static_cast<const LogicalJoin&>(plan).join_type;
      bool left = PlanIsKnownEmpty(*plan.children[0]);
      bool right = PlanIsKnownEmpty(*plan.children[1]);
      switch (type) {
        case LogicalJoinType::kInner:
        case LogicalJoinType::kCross:
        case LogicalJoinType::kSemi:
          return left || right;
        case LogicalJoinType::kLeft:
        case LogicalJoinType::kAnti:
          return left;
        case LogicalJoinType::kRight:
          return right;
        case LogicalJoinType::kFull:
          return left && right;
      }
      return false;
    }
    default:
      return false;
  }
}

}  // namespace basalt
