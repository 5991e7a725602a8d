// PART and PARTSUPP (Clause 4.2.3).
#include <array>

#include "tpch/tpch_distributions.h"
#include "tpch/tpch_row_writer.h"
#include "tpch/tpch_tables.h"

namespace basalt::tpch {

namespace {

constexpr int kColorsPerName = 5;
constexpr int64_t kSuppliersPerPart = 4;

// P_NAME: five distinct colours, separated by single spaces.
void AppendPartName(uint64_t rownum, std::string* out) {
  RowRandom random(Stream::kPartName, rownum);
  std::span<const std::string_view> colors = Colors();
  std::array<int64_t, kColorsPerName> picked;
  int count = 0;
  while (count < kColorsPerName) {
    int64_t color = random.Uniform(0, static_cast<int64_t>(colors.size()) - 1);
    bool repeated = false;
    for (int i = 0; i < count; ++i) repeated = repeated || picked[static_cast<size_t>(i)] == color;
    if (repeated) continue;
    picked[static_cast<size_t>(count++)] = color;
  }
  for (int i = 0; i < kColorsPerName; ++i) {
    if (i > 0) out->push_back(' ');
    out->append(colors[static_cast<size_t>(picked[static_cast<size_t>(i)])]);
  }
}

}  // namespace

int64_t GeneratePart(const TableContext& context, int64_t first, int64_t end, std::string* out) {
  RowWriter row(context.format, out);
  std::string scratch;
  for (int64_t index = first; index < end; ++index) {
    const int64_t key = index + 1;
    const auto rownum = static_cast<uint64_t>(index);
    row.Int(key);
    scratch.clear();
    AppendPartName(rownum, &scratch);
    row.Text(scratch);
    // P_BRAND repeats P_MFGR's digit: Manufacturer#M makes Brand#MN.
    int64_t manufacturer = RandomCell(Stream::kPartMfgr, rownum, 1, 5);
    int64_t brand = RandomCell(Stream::kPartBrand, rownum, 1, 5);
    row.PaddedInt("Manufacturer#", manufacturer, 1);
    row.PaddedInt("Brand#", manufacturer * 10 + brand, 2);
    RowRandom type(Stream::kPartType, rownum);
    scratch.assign(PickUniform(TypeSyllable1(), type));
    scratch.push_back(' ');
    scratch.append(PickUniform(TypeSyllable2(), type));
    scratch.push_back(' ');
    scratch.append(PickUniform(TypeSyllable3(), type));
    row.Text(scratch);
    row.Int(RandomCell(Stream::kPartSize, rownum, 1, 50));
    RowRandom container(Stream::kPartContainer, rownum);
    scratch.assign(PickUniform(ContainerSyllable1(), container));
    scratch.push_back(' ');
    scratch.append(PickUniform(ContainerSyllable2(), container));
    row.Text(scratch);
    row.Money(RetailPriceCents(key));
    RowRandom comment(Stream::kPartComment, rownum);
    row.Text(context.text.Substring(comment, 5, 22));
    row.EndRow();
  }
  return end - first;
}

int64_t GeneratePartsupp(const TableContext& context, int64_t first, int64_t end,
                         std::string* out) {
  RowWriter row(context.format, out);
  const int64_t suppliers = context.scale.suppliers;
  for (int64_t index = first; index < end; ++index) {
    const int64_t partkey = index + 1;
    for (int64_t i = 0; i < kSuppliersPerPart; ++i) {
      const auto rownum = static_cast<uint64_t>(index * kSuppliersPerPart + i);
      row.Int(partkey);
      row.Int(PartSupplierKey(partkey, i, suppliers));
      row.Int(RandomCell(Stream::kPartsuppAvailqty, rownum, 1, 9999));
      row.Money(RandomCell(Stream::kPartsuppSupplycost, rownum, 100, 100000));
      RowRandom comment(Stream::kPartsuppComment, rownum);
      row.Text(context.text.Substring(comment, 49, 198));
      row.EndRow();
    }
  }
  return (end - first) * kSuppliersPerPart;
}

}  // namespace basalt::tpch
