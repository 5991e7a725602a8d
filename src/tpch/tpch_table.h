// The eight TPC-H tables (specification Clause 1.4): names, column names and
// how many rows each holds at a scale factor (Clause 4.2.5).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace basalt {

enum class TpchTable : uint8_t {
  kPart,
  kSupplier,
  kPartsupp,
  kCustomer,
  kOrders,
  kLineitem,
  kNation,
  kRegion,
};

inline constexpr std::array kAllTpchTables = {
    TpchTable::kPart,   TpchTable::kSupplier, TpchTable::kPartsupp, TpchTable::kCustomer,
    TpchTable::kOrders, TpchTable::kLineitem, TpchTable::kNation,   TpchTable::kRegion,
};

// Lower-case name, as the files and the SQL schema use it ("lineitem").
std::string_view TpchTableName(TpchTable table);
// Accepts the lower-case name in any case; nothing for an unknown name.
std::optional<TpchTable> ParseTpchTable(std::string_view name);
// Column names in order ("l_orderkey", ...), for CSV headers.
std::span<const std::string_view> TpchColumnNames(TpchTable table);

// Rows at `scale_factor`: the specification's count per unit of SF, rounded to
// the nearest whole row and never below one, so fractional factors (0.01)
// still give every table content. LINEITEM has 1 to 7 rows per order and is
// only known once generated; this returns its expected count (4 per order).
int64_t TpchRowCount(TpchTable table, double scale_factor);

}  // namespace basalt
