// The system table mechanism: every registered table produces rows of its
// own shape, user objects get stable oids, and visibility follows the
// search path.
#include "catalog/system_table.h"

#include <gtest/gtest.h>

#include <set>

#include "catalog/system_relations.h"

namespace basalt {
namespace {

std::shared_ptr<TableEntry> NewTable(const std::string& schema, const std::string& name) {
  auto table = std::make_shared<TableEntry>();
  table->schema = schema;
  table->name = name;
  table->columns.push_back({"a", TypeId::kInteger, true});
  table->storage = std::make_shared<DataTable>(table->Types());
  return table;
}

TEST(SystemTableTest, EveryTableMaterializesWithItsColumns) {
  Catalog catalog;
  catalog.CreateTable(NewTable(kDefaultSchema, "t"), false);
  CatalogSnapshot snapshot = catalog.Snapshot();
  SessionInfo session;
  session.settings = {{"search_path", "main"}};
  SystemTableInputs inputs{snapshot, session};
  std::set<uint32_t> oids;
  for (const auto& table : SystemTables::Get().All()) {
    auto entry = table.Materialize(inputs);  // checks each row's width
    EXPECT_EQ(entry->columns.size(), table.columns.size()) << table.name;
    EXPECT_TRUE(oids.insert(table.oid).second) << "duplicate oid " << table.oid;
    EXPECT_LT(table.oid, kFirstUserOid) << table.name;
  }
  EXPECT_NE(SystemTables::Get().Find("pg_catalog", "pg_class"), nullptr);
  EXPECT_NE(SystemTables::Get().Find("information_schema", "columns"), nullptr);
  EXPECT_EQ(SystemTables::Get().Find("main", "pg_class"), nullptr);
  auto classes = SystemTables::Get().Find("pg_catalog", "pg_class")->Materialize(inputs);
  EXPECT_EQ(classes->storage->RowCount(), SystemTables::Get().All().size() + 1);
}

TEST(SystemTableTest, OidsAreAssignedOnceAndNeverReused) {
  Catalog catalog;
  auto t = NewTable(kDefaultSchema, "t");
  catalog.CreateTable(t, false);
  EXPECT_EQ(t->oid, kFirstUserOid + 1);  // main is kFirstUserOid
  catalog.DropTable(kDefaultSchema, "t", false);
  auto again = NewTable(kDefaultSchema, "t");
  catalog.CreateTable(again, false);
  EXPECT_EQ(again->oid, kFirstUserOid + 2);
  auto view = std::make_shared<ViewEntry>();
  view->schema = kDefaultSchema;
  view->name = "v";
  catalog.CreateView(view, false);
  auto replaced = std::make_shared<ViewEntry>(*view);
  catalog.CreateView(replaced, true);
  EXPECT_EQ(replaced->oid, view->oid);
}

TEST(SystemTableTest, VisibilityFollowsTheSearchPath) {
  Catalog catalog;
  catalog.CreateSchema("s2", false);
  catalog.CreateTable(NewTable(kDefaultSchema, "t"), false);
  catalog.CreateTable(NewTable("s2", "t"), false);
  catalog.CreateTable(NewTable("s2", "only_here"), false);
  catalog.CreateTable(NewTable(kDefaultSchema, "pg_class"), false);
  CatalogSnapshot snapshot = catalog.Snapshot();
  SessionInfo session;
  SystemTableInputs inputs{snapshot, session};
  EXPECT_TRUE(RelationIsVisible(inputs, kDefaultSchema, "t"));
  EXPECT_FALSE(RelationIsVisible(inputs, "s2", "t"));
  EXPECT_FALSE(RelationIsVisible(inputs, "s2", "only_here"));
  // pg_catalog is searched first, so it hides a user table of the same name.
  EXPECT_TRUE(RelationIsVisible(inputs, kPgCatalogSchema, "pg_class"));
  EXPECT_FALSE(RelationIsVisible(inputs, kDefaultSchema, "pg_class"));
}

}  // namespace
}  // namespace basalt
