#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/exception.h"

namespace basalt {
namespace {

std::shared_ptr<TableEntry> ExternalTable(const std::string& name, LogicalType type) {
  auto table = std::make_shared<TableEntry>();
  table->schema = kDefaultSchema;
  table->name = name;
  table->columns = {{"a", type, false}};
  auto external = std::make_shared<ExternalTableRecord>();
  external->format = "parquet";
  external->location = "/nowhere/" + name;
  table->external = std::move(external);
  table->storage = std::make_shared<DataTable>(table->Types());
  return table;
}

// What REFRESH does: infer new columns from an entry, then replace it.
std::shared_ptr<TableEntry> RefreshedFrom(const TableEntry& old, LogicalType type) {
  auto table = ExternalTable(old.name, type);
  table->external = old.external;
  return table;
}

TEST(CatalogTest, ReplaceExternalTableKeepsTheOid) {
  Catalog catalog;
  auto t = ExternalTable("t", LogicalType(TypeId::kInteger));
  catalog.CreateTable(t, false);
  catalog.ReplaceExternalTable(RefreshedFrom(*t, LogicalType(TypeId::kVarchar)), t->oid);
  auto now = catalog.GetTable(kDefaultSchema, "t");
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now->oid, t->oid);
  EXPECT_EQ(now->columns[0].type, LogicalType(TypeId::kVarchar));
}

// A REFRESH that inferred its columns from `t`, then found `t` dropped and
// another external table of the same name created, must not give the new
// table the old definition (the race the write lock does not cover, since
// REFRESH reads files without it).
TEST(CatalogTest, ReplaceExternalTableRefusesATableCreatedAgain) {
  Catalog catalog;
  auto old = ExternalTable("t", LogicalType(TypeId::kInteger));
  catalog.CreateTable(old, false);
  auto refreshed = RefreshedFrom(*old, LogicalType(TypeId::kVarchar));
  catalog.DropTable(kDefaultSchema, "t", false);
  auto again = ExternalTable("t", LogicalType(TypeId::kBigint));
  catalog.CreateTable(again, false);
  ASSERT_NE(again->oid, old->oid);
  try {
    catalog.ReplaceExternalTable(refreshed, old->oid);
    FAIL() << "expected 40001";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), "40001") << e.what();
    EXPECT_NE(std::string(e.what()).find("changed during REFRESH"), std::string::npos) << e.what();
  }
  auto now = catalog.GetTable(kDefaultSchema, "t");
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now, again);
  EXPECT_EQ(now->external->location, "/nowhere/t");
  EXPECT_EQ(now->columns[0].type, LogicalType(TypeId::kBigint));
  // Gone altogether: 42P01 as before.
  catalog.DropTable(kDefaultSchema, "t", false);
  try {
    catalog.ReplaceExternalTable(RefreshedFrom(*again, LogicalType(TypeId::kVarchar)), again->oid);
    FAIL() << "expected 42P01";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kUndefinedTable) << e.what();
  }
}

}  // namespace
}  // namespace basalt
