// Row generation for each table (specification Clause 4.2.3). Every function
// formats a range of rows into a buffer; rows are numbered from 0 and each
// value is drawn from its column's stream at that row number (tpch_random.h),
// so a range's text does not depend on the ranges before it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tpch/tpch_generator.h"
#include "tpch/tpch_rules.h"
#include "tpch/tpch_text.h"

namespace basalt::tpch {

// Suppliers whose comments carry the phrases Q16 looks for.
struct SupplierComments {
  std::vector<int64_t> complaints;  // sorted supplier keys: "Customer ... Complaints"
  std::vector<int64_t> recommends;  // sorted supplier keys: "Customer ... Recommends"
};

// Picks SF * 5 suppliers of each kind (at least one each where there are two
// suppliers or more), distinct, at random.
SupplierComments ChooseSupplierComments(const TpchScale& scale);

// What every generator reads; shared, immutable.
struct TableContext {
  const TpchScale& scale;
  const TextPool& text;
  const SupplierComments& supplier_comments;
  TpchFormat format;
};

// Each writes rows [first, end) of its table and returns how many it wrote.
int64_t GenerateNation(const TableContext& context, int64_t first, int64_t end, std::string* out);
int64_t GenerateRegion(const TableContext& context, int64_t first, int64_t end, std::string* out);
int64_t GenerateSupplier(const TableContext& context, int64_t first, int64_t end, std::string* out);
int64_t GenerateCustomer(const TableContext& context, int64_t first, int64_t end, std::string* out);
int64_t GeneratePart(const TableContext& context, int64_t first, int64_t end, std::string* out);
// Rows for parts [first, end): four per part.
int64_t GeneratePartsupp(const TableContext& context, int64_t first, int64_t end, std::string* out);

// Orders [first, end) and their line items, generated together because an
// order's status and total price come from its lines. Either output may be
// null when that table was not asked for.
struct OrderRows {
  int64_t orders = 0;
  int64_t lineitems = 0;
};
OrderRows GenerateOrdersAndLineitems(const TableContext& context, int64_t first, int64_t end,
                                     std::string* orders_out, std::string* lineitem_out);

}  // namespace basalt::tpch
