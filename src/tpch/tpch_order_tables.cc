// ORDERS and LINEITEM (Clause 4.2.3), made together: an order's status and
// total price are functions of its lines.
#include "tpch/tpch_distributions.h"
#include "tpch/tpch_row_writer.h"
#include "tpch/tpch_tables.h"

namespace basalt::tpch {

namespace {

constexpr int64_t kMaxLinesPerOrder = 7;
// Line rows are numbered order_index * 8 + line number (1..7), leaving each
// order its own block of rows in every line stream.
constexpr int64_t kLineRowsPerOrder = 8;

}  // namespace

OrderRows GenerateOrdersAndLineitems(const TableContext& context, int64_t first, int64_t end,
                                     std::string* orders_out, std::string* lineitem_out) {
  const TpchScale& scale = context.scale;
  const int64_t ordering_customers = OrderingCustomerCount(scale.customers);
  std::string unused;
  RowWriter order_row(context.format, orders_out != nullptr ? orders_out : &unused);
  RowWriter line_row(context.format, lineitem_out != nullptr ? lineitem_out : &unused);
  OrderRows rows;
  for (int64_t index = first; index < end; ++index) {
    const auto rownum = static_cast<uint64_t>(index);
    const int64_t orderkey = OrderKeyOfIndex(index);
    const auto orderdate =
        static_cast<int32_t>(RandomCell(Stream::kOrderDate, rownum, kStartDate, kLastOrderDate));
    const int64_t lines = RandomCell(Stream::kOrderLineCount, rownum, 1, kMaxLinesPerOrder);

    // sum of l_extendedprice * (1 + l_tax) * (1 - l_discount), exact, in
    // units of 10^-6: cents times percent times percent.
    int64_t total_micros = 0;
    int64_t shipped_lines = 0;  // L_LINESTATUS 'F'
    for (int64_t line = 1; line <= lines; ++line) {
      const auto linenum = static_cast<uint64_t>(index * kLineRowsPerOrder + line);
      const int64_t partkey = RandomCell(Stream::kLinePart, linenum, 1, scale.parts);
      const int64_t supplier_choice = RandomCell(Stream::kLineSupplier, linenum, 0, 3);
      const int64_t quantity = RandomCell(Stream::kLineQuantity, linenum, 1, 50);
      const int64_t discount = RandomCell(Stream::kLineDiscount, linenum, 0, 10);  // percent
      const int64_t tax = RandomCell(Stream::kLineTax, linenum, 0, 8);             // percent
      const int64_t extended = quantity * RetailPriceCents(partkey);
      const auto shipdate =
          static_cast<int32_t>(orderdate + RandomCell(Stream::kLineShipDate, linenum, 1, 121));
      const auto commitdate =
          static_cast<int32_t>(orderdate + RandomCell(Stream::kLineCommitDate, linenum, 30, 90));
      const auto receiptdate =
          static_cast<int32_t>(shipdate + RandomCell(Stream::kLineReceiptDate, linenum, 1, 30));
      total_micros += extended * (100 + tax) * (100 - discount);
      const bool shipped = shipdate <= kCurrentDate;
      shipped_lines += shipped ? 1 : 0;
      if (lineitem_out == nullptr) continue;

      line_row.Int(orderkey);
      line_row.Int(partkey);
      line_row.Int(PartSupplierKey(partkey, supplier_choice, scale.suppliers));
      line_row.Int(line);
      line_row.Money(quantity * 100);
      line_row.Money(extended);
      line_row.Money(discount);
      line_row.Money(tax);
      // Received by the current date: returned ('R') or accepted ('A');
      // otherwise not yet known ('N').
      char returnflag = 'N';
      if (receiptdate <= kCurrentDate) {
        returnflag = RandomCell(Stream::kLineReturnFlag, linenum, 0, 1) == 0 ? 'R' : 'A';
      }
      line_row.Char(returnflag);
      line_row.Char(shipped ? 'F' : 'O');
      line_row.Date(shipdate);
      line_row.Date(commitdate);
      line_row.Date(receiptdate);
      RowRandom instruct(Stream::kLineShipInstruct, linenum);
      line_row.Text(PickUniform(ShipInstructions(), instruct));
      RowRandom mode(Stream::kLineShipMode, linenum);
      line_row.Text(PickUniform(ShipModes(), mode));
      RowRandom comment(Stream::kLineComment, linenum);
      line_row.Text(context.text.Substring(comment, 10, 43));
      line_row.EndRow();
    }
    rows.lineitems += lines;
    if (orders_out == nullptr) continue;

    const int64_t custkey =
        OrderingCustomerKey(RandomCell(Stream::kOrderCustomer, rownum, 0, ordering_customers - 1));
    char status = 'P';  // some lines shipped, some open
    if (shipped_lines == lines) status = 'F';
    if (shipped_lines == 0) status = 'O';
    order_row.Int(orderkey);
    order_row.Int(custkey);
    order_row.Char(status);
    order_row.Money((total_micros + 5000) / 10000);  // to cents, half up
    order_row.Date(orderdate);
    RowRandom priority(Stream::kOrderPriority, rownum);
    order_row.Text(PickUniform(Priorities(), priority));
    order_row.PaddedInt("Clerk#", RandomCell(Stream::kOrderClerk, rownum, 1, scale.clerks), 9);
    order_row.Int(0);  // O_SHIPPRIORITY
    RowRandom comment(Stream::kOrderComment, rownum);
    order_row.Text(context.text.Substring(comment, 19, 78));
    order_row.EndRow();
    ++rows.orders;
  }
  return rows;
}

}  // namespace basalt::tpch
