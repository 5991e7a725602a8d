#include "tpch/tpch_table.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace basalt {

namespace {

constexpr std::array kPartColumns =
    std::to_array<std::string_view>({"p_partkey", "p_name", "p_mfgr", "p_brand", "p_type", "p_size",
                                     "p_container", "p_retailprice", "p_comment"});
constexpr std::array kSupplierColumns = std::to_array<std::string_view>(
    {"s_suppkey", "s_name", "s_address", "s_nationkey", "s_phone", "s_acctbal", "s_comment"});
constexpr std::array kPartsuppColumns = std::to_array<std::string_view>(
    {"ps_partkey", "ps_suppkey", "ps_availqty", "ps_supplycost", "ps_comment"});
constexpr std::array kCustomerColumns =
    std::to_array<std::string_view>({"c_custkey", "c_name", "c_address", "c_nationkey", "c_phone",
                                     "c_acctbal", "c_mktsegment", "c_comment"});
constexpr std::array kOrdersColumns = std::to_array<std::string_view>(
    {"o_orderkey", "o_custkey", "o_orderstatus", "o_totalprice", "o_orderdate", "o_orderpriority",
     "o_clerk", "o_shippriority", "o_comment"});
constexpr std::array kLineitemColumns = std::to_array<std::string_view>(
    {"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice",
     "l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate",
     "l_receiptdate", "l_shipinstruct", "l_shipmode", "l_comment"});
constexpr std::array kNationColumns =
    std::to_array<std::string_view>({"n_nationkey", "n_name", "n_regionkey", "n_comment"});
constexpr std::array kRegionColumns =
    std::to_array<std::string_view>({"r_regionkey", "r_name", "r_comment"});

}  // namespace

std::string_view TpchTableName(TpchTable table) {
  switch (table) {
    case TpchTable::kPart:
      return "part";
    case TpchTable::kSupplier:
      return "supplier";
    case TpchTable::kPartsupp:
      return "partsupp";
    case TpchTable::kCustomer:
      return "customer";
    case TpchTable::kOrders:
      return "orders";
    case TpchTable::kLineitem:
      return "lineitem";
    case TpchTable::kNation:
      return "nation";
    case TpchTable::kRegion:
      return "region";
  }
  return "?";
}

std::optional<TpchTable> ParseTpchTable(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (TpchTable table : kAllTpchTables) {
    if (TpchTableName(table) == lower) return table;
  }
  return std::nullopt;
}

std::span<const std::string_view> TpchColumnNames(TpchTable table) {
  switch (table) {
    case TpchTable::kPart:
      return kPartColumns;
    case TpchTable::kSupplier:
      return kSupplierColumns;
    case TpchTable::kPartsupp:
      return kPartsuppColumns;
    case TpchTable::kCustomer:
      return kCustomerColumns;
    case TpchTable::kOrders:
      return kOrdersColumns;
    case TpchTable::kLineitem:
      return kLineitemColumns;
    case TpchTable::kNation:
      return kNationColumns;
    case TpchTable::kRegion:
      return kRegionColumns;
  }
  return {};
}

int64_t TpchRowCount(TpchTable table, double scale_factor) {
  auto scaled = [scale_factor](double per_unit) {
    return std::max<int64_t>(1, std::llround(per_unit * scale_factor));
  };
  switch (table) {
    case TpchTable::kPart:
      return scaled(200000);
    case TpchTable::kSupplier:
      return scaled(10000);
    case TpchTable::kPartsupp:
      return 4 * scaled(200000);
    case TpchTable::kCustomer:
      return scaled(150000);
    case TpchTable::kOrders:
      return scaled(1500000);
    case TpchTable::kLineitem:
      return 4 * scaled(1500000);
    case TpchTable::kNation:
      return 25;
    case TpchTable::kRegion:
      return 5;
  }
  return 0;
}

}  // namespace basalt
