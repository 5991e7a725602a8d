#include "tpch/tpch_rules.h"

#include <gtest/gtest.h>

#include <set>

#include "common/date_time.h"
#include "tpch/tpch_table.h"

namespace basalt::tpch {
namespace {

TEST(TpchRulesTest, CalendarConstantsAreTheSpecificationsDates) {
  EXPECT_EQ(kStartDate, DaysFromCivil(1992, 1, 1));
  EXPECT_EQ(kCurrentDate, DaysFromCivil(1995, 6, 17));
  EXPECT_EQ(kEndDate, DaysFromCivil(1998, 12, 31));
  EXPECT_EQ(FormatDate(kLastOrderDate), "1998-08-02");
}

TEST(TpchRulesTest, RetailPriceFollowsTheFormula) {
  EXPECT_EQ(RetailPriceCents(1), 90100);        // 901.00
  EXPECT_EQ(RetailPriceCents(10), 91001);       // 910.01
  EXPECT_EQ(RetailPriceCents(999), 189999);     // 1899.99
  EXPECT_EQ(RetailPriceCents(1000), 90100);     // 901.00
  EXPECT_EQ(RetailPriceCents(200000), 110000);  // 1100.00
}

TEST(TpchRulesTest, OrderKeysUseTheFirstEightOfEveryThirtyTwo) {
  EXPECT_EQ(OrderKeyOfIndex(0), 1);
  EXPECT_EQ(OrderKeyOfIndex(7), 8);
  EXPECT_EQ(OrderKeyOfIndex(8), 33);
  EXPECT_EQ(OrderKeyOfIndex(15), 40);
  EXPECT_EQ(OrderKeyOfIndex(16), 65);
  // SF 1: 1,500,000 orders end just below 6,000,000.
  EXPECT_EQ(OrderKeyOfIndex(1499999), 5999976);
}

TEST(TpchRulesTest, OrderingCustomersSkipMultiplesOfThree) {
  EXPECT_EQ(OrderingCustomerCount(1500), 1000);
  EXPECT_EQ(OrderingCustomerCount(4), 3);
  std::vector<int64_t> keys;
  for (int64_t j = 0; j < 6; ++j) keys.push_back(OrderingCustomerKey(j));
  EXPECT_EQ(keys, (std::vector<int64_t>{1, 2, 4, 5, 7, 8}));
  // The last index maps onto the last customer that may order.
  EXPECT_EQ(OrderingCustomerKey(OrderingCustomerCount(1500) - 1), 1499);
  EXPECT_EQ(OrderingCustomerKey(OrderingCustomerCount(1501) - 1), 1501);
}

TEST(TpchRulesTest, EachPartHasFourDistinctSuppliers) {
  for (double sf : {0.01, 0.1, 1.0}) {
    TpchScale scale(sf);
    for (int64_t part = 1; part <= scale.parts; part += 7) {
      std::set<int64_t> suppliers;
      for (int64_t i = 0; i < 4; ++i) {
        int64_t key = PartSupplierKey(part, i, scale.suppliers);
        EXPECT_GE(key, 1);
        EXPECT_LE(key, scale.suppliers);
        suppliers.insert(key);
      }
      ASSERT_EQ(suppliers.size(), 4u) << "SF " << sf << " part " << part;
    }
  }
}

TEST(TpchRulesTest, ScaleRoundsAndKeepsEveryTableNonEmpty) {
  TpchScale one(1);
  EXPECT_EQ(one.parts, 200000);
  EXPECT_EQ(one.suppliers, 10000);
  EXPECT_EQ(one.customers, 150000);
  EXPECT_EQ(one.orders, 1500000);
  EXPECT_EQ(one.clerks, 1000);
  TpchScale small(0.01);
  EXPECT_EQ(small.suppliers, 100);
  EXPECT_EQ(small.clerks, 10);
  TpchScale tiny(0.000001);
  EXPECT_EQ(tiny.suppliers, 1);
  EXPECT_EQ(tiny.clerks, 1);
  EXPECT_EQ(TpchRowCount(TpchTable::kNation, 0.01), 25);
  EXPECT_EQ(TpchRowCount(TpchTable::kPartsupp, 0.01), 8000);
}

}  // namespace
}  // namespace basalt::tpch
