// The rules of specification Clause 4.2.3 that tie columns to keys and to each
// other: the sparse order keys, the partsupp supplier formula (which LINEITEM
// reuses, so every line names an existing PARTSUPP row), the retail price
// formula, customers without orders, and the calendar of the business.
#pragma once

#include <cstdint>

namespace basalt::tpch {

// Days since 1970-01-01 (checked against the calendar in tpch_rules_test.cc).
inline constexpr int32_t kStartDate = 8035;    // 1992-01-01, first order date
inline constexpr int32_t kCurrentDate = 9298;  // 1995-06-17, splits shipped from open lines
inline constexpr int32_t kEndDate = 10591;     // 1998-12-31, last receipt date
// Orders are placed early enough that every line still ships and is received
// by kEndDate (121 days to ship + 30 to receive).
inline constexpr int32_t kLastOrderDate = kEndDate - 151;

// How many rows of each base table one scale factor gives.
struct TpchScale {
  explicit TpchScale(double scale_factor);

  double scale_factor;
  int64_t parts;
  int64_t suppliers;
  int64_t customers;
  int64_t orders;
  int64_t clerks;  // O_CLERK is drawn from SF * 1000 clerks
};

// P_RETAILPRICE in cents: (90000 + ((key / 10) mod 20001) + 100 * (key mod 1000)) / 100.
inline int64_t RetailPriceCents(int64_t partkey) {
  return 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000);
}

// The i-th (0..3) supplier of a part:
// (partkey + i * (S / 4 + (partkey - 1) / S)) mod S + 1, S the number of suppliers.
inline int64_t PartSupplierKey(int64_t partkey, int64_t i, int64_t suppliers) {
  return (partkey + i * (suppliers / 4 + (partkey - 1) / suppliers)) % suppliers + 1;
}

// Only the first 8 of every 32 order keys are used, so the key range is sparse
// (it leaves room for the refresh functions' inserts).
inline int64_t OrderKeyOfIndex(int64_t order_index) {
  return (order_index / 8) * 32 + order_index % 8 + 1;
}

// O_CUSTKEY never refers to a customer whose key is a multiple of 3, so a third
// of the customers have no orders (Q13 and Q22 count them). Index j, uniform
// over the customers that may order, maps onto the keys 1, 2, 4, 5, 7, 8, ...
inline int64_t OrderingCustomerCount(int64_t customers) { return customers - customers / 3; }
inline int64_t OrderingCustomerKey(int64_t j) { return 3 * (j / 2) + j % 2 + 1; }

}  // namespace basalt::tpch
