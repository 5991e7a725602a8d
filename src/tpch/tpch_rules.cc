#include "tpch/tpch_rules.h"

#include <algorithm>

#include "tpch/tpch_table.h"

namespace basalt::tpch {

TpchScale::TpchScale(double sf)
    : scale_factor(sf),
      parts(TpchRowCount(TpchTable::kPart, sf)),
      suppliers(TpchRowCount(TpchTable::kSupplier, sf)),
      customers(TpchRowCount(TpchTable::kCustomer, sf)),
      orders(TpchRowCount(TpchTable::kOrders, sf)),
      clerks(std::max<int64_t>(1, static_cast<int64_t>(sf * 1000 + 0.5))) {}

}  // namespace basalt::tpch
