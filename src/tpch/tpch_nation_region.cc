// NATION and REGION: fixed names and keys (Clause 4.2.3), generated comments.
#include "tpch/tpch_distributions.h"
#include "tpch/tpch_row_writer.h"
#include "tpch/tpch_tables.h"

namespace basalt::tpch {

int64_t GenerateNation(const TableContext& context, int64_t first, int64_t end, std::string* out) {
  RowWriter row(context.format, out);
  for (int64_t key = first; key < end; ++key) {
    const NationInfo& nation = Nations()[static_cast<size_t>(key)];
    RowRandom comment(Stream::kNationComment, static_cast<uint64_t>(key));
    row.Int(key);
    row.Text(nation.name);
    row.Int(nation.region_key);
    row.Text(context.text.Substring(comment, 31, 114));
    row.EndRow();
  }
  return end - first;
}

int64_t GenerateRegion(const TableContext& context, int64_t first, int64_t end, std::string* out) {
  RowWriter row(context.format, out);
  for (int64_t key = first; key < end; ++key) {
    RowRandom comment(Stream::kRegionComment, static_cast<uint64_t>(key));
    row.Int(key);
    row.Text(Regions()[static_cast<size_t>(key)]);
    row.Text(context.text.Substring(comment, 31, 115));
    row.EndRow();
  }
  return end - first;
}

}  // namespace basalt::tpch
