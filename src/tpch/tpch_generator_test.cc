#include "tpch/tpch_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/date_time.h"
#include "common/exception.h"
#include "tpch/tpch_distributions.h"
#include "tpch/tpch_rules.h"
#include "tpch/tpch_tables.h"
#include "tpch/tpch_test_util.h"

namespace basalt::tpch {
namespace {

using testing::ParseCents;
using testing::ReadFile;
using testing::ReadTbl;
using testing::Row;
using testing::TempDir;

std::vector<TpchTableResult> Generate(const TempDir& dir, double sf, int threads,
                                      TpchFormat format = TpchFormat::kTbl,
                                      std::vector<TpchTable> tables = {}) {
  TpchOptions options;
  options.scale_factor = sf;
  options.directory = dir.path();
  options.threads = threads;
  options.format = format;
  options.tables = std::move(tables);
  return GenerateTpch(options);
}

int64_t RowsOf(const std::vector<TpchTableResult>& results, TpchTable table) {
  for (const TpchTableResult& result : results) {
    if (result.table == table) return result.rows;
  }
  return -1;
}

int32_t Date(const std::string& text) {
  int32_t days = 0;
  EXPECT_TRUE(ParseDate(text, &days)) << text;
  return days;
}

bool Contains(std::span<const std::string_view> list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Checks the counts every scale factor must give, and that the files hold
// exactly the rows reported. Returns the line items' count.
int64_t CheckRowCounts(const TempDir& dir, const std::vector<TpchTableResult>& results, double sf) {
  EXPECT_EQ(results.size(), 8u);
  EXPECT_EQ(RowsOf(results, TpchTable::kPart), std::llround(200000 * sf));
  EXPECT_EQ(RowsOf(results, TpchTable::kSupplier), std::llround(10000 * sf));
  EXPECT_EQ(RowsOf(results, TpchTable::kPartsupp), 4 * std::llround(200000 * sf));
  EXPECT_EQ(RowsOf(results, TpchTable::kCustomer), std::llround(150000 * sf));
  EXPECT_EQ(RowsOf(results, TpchTable::kOrders), std::llround(1500000 * sf));
  EXPECT_EQ(RowsOf(results, TpchTable::kNation), 25);
  EXPECT_EQ(RowsOf(results, TpchTable::kRegion), 5);
  for (const TpchTableResult& result : results) {
    std::string text = ReadFile(result.path);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), result.rows) << result.path;
  }
  // 1 to 7 lines per order, 4 on average; the bounds are far outside what
  // chance gives (the standard deviation is 2 * sqrt(orders)).
  int64_t orders = std::llround(1500000 * sf);
  int64_t lines = RowsOf(results, TpchTable::kLineitem);
  EXPECT_GT(lines, 4 * orders - 10 * 2 * std::sqrt(orders));
  EXPECT_LT(lines, 4 * orders + 10 * 2 * std::sqrt(orders));
  return lines;
}

// SF 0.01, generated once for the tests that read it.
class TpchSmallTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    results_ = new std::vector<TpchTableResult>(Generate(*dir_, 0.01, 2));
  }
  static void TearDownTestSuite() {
    delete results_;
    delete dir_;
  }
  static std::vector<Row> Read(std::string_view table) {
    return ReadTbl(dir_->File(std::string(table) + ".tbl"));
  }

  static TempDir* dir_;
  static std::vector<TpchTableResult>* results_;
};

TempDir* TpchSmallTest::dir_ = nullptr;
std::vector<TpchTableResult>* TpchSmallTest::results_ = nullptr;

TEST_F(TpchSmallTest, RowCounts) { CheckRowCounts(*dir_, *results_, 0.01); }

TEST_F(TpchSmallTest, RowsHaveEveryColumn) {
  for (TpchTable table : kAllTpchTables) {
    for (const Row& row : Read(TpchTableName(table))) {
      ASSERT_EQ(row.size(), TpchColumnNames(table).size()) << TpchTableName(table);
    }
  }
}

TEST_F(TpchSmallTest, OrderKeysAreSparse) {
  std::vector<Row> orders = Read("orders");
  int64_t previous = 0;
  for (size_t i = 0; i < orders.size(); ++i) {
    int64_t key = std::stoll(orders[i][0]);
    ASSERT_EQ(key, OrderKeyOfIndex(static_cast<int64_t>(i)));
    ASSERT_LT((key - 1) % 32, 8);
    ASSERT_GT(key, previous);
    previous = key;
  }
  EXPECT_EQ(previous, 59976);  // the 15,000th key
}

TEST_F(TpchSmallTest, EveryThirdCustomerHasNoOrders) {
  std::map<int64_t, int64_t> orders_per_customer;
  for (const Row& order : Read("orders")) ++orders_per_customer[std::stoll(order[1])];
  for (const auto& [custkey, count] : orders_per_customer) {
    ASSERT_NE(custkey % 3, 0) << custkey;
    ASSERT_GE(custkey, 1);
    ASSERT_LE(custkey, 1500);
  }
  // Every other customer orders: 15 orders each on average.
  EXPECT_EQ(orders_per_customer.size(), 1000u);
}

TEST_F(TpchSmallTest, PartValues) {
  std::set<std::string> colors(Colors().begin(), Colors().end());
  for (const Row& part : Read("part")) {
    int64_t key = std::stoll(part[0]);
    std::istringstream name(part[1]);
    std::set<std::string> words;
    std::string word;
    while (name >> word) {
      EXPECT_EQ(colors.count(word), 1u) << part[1];
      words.insert(word);
    }
    EXPECT_EQ(words.size(), 5u) << part[1];
    ASSERT_EQ(part[2].substr(0, 13), "Manufacturer#");
    char manufacturer = part[2][13];
    EXPECT_GE(manufacturer, '1');
    EXPECT_LE(manufacturer, '5');
    ASSERT_EQ(part[3].size(), 8u);
    EXPECT_EQ(part[3].substr(0, 7), std::string("Brand#") + manufacturer);
    EXPECT_GE(part[3][7], '1');
    EXPECT_LE(part[3][7], '5');
    int64_t size = std::stoll(part[5]);
    EXPECT_GE(size, 1);
    EXPECT_LE(size, 50);
    EXPECT_EQ(ParseCents(part[7]), RetailPriceCents(key));
    EXPECT_GE(part[8].size(), 5u);
    EXPECT_LE(part[8].size(), 22u);
  }
}

TEST_F(TpchSmallTest, PartsuppValues) {
  std::set<std::pair<int64_t, int64_t>> keys;
  for (const Row& row : Read("partsupp")) {
    int64_t partkey = std::stoll(row[0]);
    int64_t suppkey = std::stoll(row[1]);
    EXPECT_TRUE(keys.insert({partkey, suppkey}).second) << partkey << "," << suppkey;
    EXPECT_GE(suppkey, 1);
    EXPECT_LE(suppkey, 100);
    int64_t availqty = std::stoll(row[2]);
    EXPECT_GE(availqty, 1);
    EXPECT_LE(availqty, 9999);
    int64_t cost = ParseCents(row[3]);
    EXPECT_GE(cost, 100);
    EXPECT_LE(cost, 100000);
    EXPECT_GE(row[4].size(), 49u);
    EXPECT_LE(row[4].size(), 198u);
  }
  EXPECT_EQ(keys.size(), 8000u);
}

TEST_F(TpchSmallTest, CustomerAndSupplierValues) {
  auto check = [](const Row& row, size_t nation_column, size_t comment_min, size_t comment_max) {
    int64_t nation = std::stoll(row[nation_column]);
    EXPECT_GE(nation, 0);
    EXPECT_LE(nation, 24);
    const std::string& phone = row[nation_column + 1];
    ASSERT_EQ(phone.size(), 15u) << phone;
    EXPECT_EQ(std::stoll(phone.substr(0, 2)), nation + 10) << phone;
    EXPECT_EQ(phone[2], '-');
    EXPECT_EQ(phone[6], '-');
    EXPECT_EQ(phone[10], '-');
    int64_t balance = ParseCents(row[nation_column + 2]);
    EXPECT_GE(balance, -99999);
    EXPECT_LE(balance, 999999);
    EXPECT_GE(row[2].size(), 10u);
    EXPECT_LE(row[2].size(), 40u);
    EXPECT_GE(row.back().size(), comment_min);
    EXPECT_LE(row.back().size(), comment_max);
  };
  std::vector<Row> customers = Read("customer");
  for (size_t i = 0; i < customers.size(); ++i) {
    const Row& row = customers[i];
    EXPECT_EQ(std::stoll(row[0]), static_cast<int64_t>(i) + 1);
    EXPECT_EQ(row[1], fmt::format("Customer#{:09d}", i + 1));
    check(row, 3, 29, 116);
    EXPECT_TRUE(Contains(Segments(), row[6])) << row[6];
  }
  for (const Row& row : Read("supplier")) {
    EXPECT_EQ(row[1], fmt::format("Supplier#{:09d}", std::stoll(row[0])));
    check(row, 3, 25, 100);
  }
}

TEST_F(TpchSmallTest, OrdersAgreeWithTheirLineitems) {
  std::vector<Row> lineitems = Read("lineitem");
  std::vector<Row> orders = Read("orders");
  std::unordered_map<int64_t, const Row*> order_of;
  for (const Row& order : orders) order_of[std::stoll(order[0])] = &order;

  struct Totals {
    int64_t micros = 0;
    int lines = 0;
    int shipped = 0;
  };
  std::unordered_map<int64_t, Totals> totals;
  for (const Row& line : lineitems) {
    int64_t orderkey = std::stoll(line[0]);
    ASSERT_EQ(order_of.count(orderkey), 1u) << orderkey;
    const Row& order = *order_of[orderkey];
    int64_t partkey = std::stoll(line[1]);
    int64_t suppkey = std::stoll(line[2]);
    bool supplies_part = false;
    for (int64_t i = 0; i < 4; ++i) supplies_part |= PartSupplierKey(partkey, i, 100) == suppkey;
    EXPECT_TRUE(supplies_part) << partkey << " " << suppkey;
    Totals& total = totals[orderkey];
    EXPECT_EQ(std::stoll(line[3]), ++total.lines);  // line numbers 1, 2, ...

    int64_t quantity = ParseCents(line[4]);
    EXPECT_EQ(quantity % 100, 0);
    EXPECT_GE(quantity, 100);
    EXPECT_LE(quantity, 5000);
    int64_t extended = ParseCents(line[5]);
    EXPECT_EQ(extended, quantity / 100 * RetailPriceCents(partkey));
    int64_t discount = ParseCents(line[6]);
    EXPECT_GE(discount, 0);
    EXPECT_LE(discount, 10);
    int64_t tax = ParseCents(line[7]);
    EXPECT_GE(tax, 0);
    EXPECT_LE(tax, 8);
    total.micros += extended * (100 + tax) * (100 - discount);

    int32_t orderdate = Date(order[4]);
    int32_t shipdate = Date(line[10]);
    int32_t commitdate = Date(line[11]);
    int32_t receiptdate = Date(line[12]);
    EXPECT_GE(shipdate - orderdate, 1);
    EXPECT_LE(shipdate - orderdate, 121);
    EXPECT_GE(commitdate - orderdate, 30);
    EXPECT_LE(commitdate - orderdate, 90);
    EXPECT_GE(receiptdate - shipdate, 1);
    EXPECT_LE(receiptdate - shipdate, 30);
    if (receiptdate <= kCurrentDate) {
      EXPECT_TRUE(line[8] == "R" || line[8] == "A") << line[8];
    } else {
      EXPECT_EQ(line[8], "N");
    }
    EXPECT_EQ(line[9], shipdate > kCurrentDate ? "O" : "F");
    total.shipped += line[9] == "F" ? 1 : 0;
    EXPECT_TRUE(Contains(ShipInstructions(), line[13])) << line[13];
    EXPECT_TRUE(Contains(ShipModes(), line[14])) << line[14];
    EXPECT_GE(line[15].size(), 10u);
    EXPECT_LE(line[15].size(), 43u);
  }

  std::set<std::string> statuses;
  for (const Row& order : orders) {
    const Totals& total = totals[std::stoll(order[0])];
    EXPECT_GE(total.lines, 1);
    EXPECT_LE(total.lines, 7);
    // o_totalprice = sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)), to the cent.
    EXPECT_EQ(ParseCents(order[3]), (total.micros + 5000) / 10000) << order[0];
    std::string status = total.shipped == total.lines ? "F" : total.shipped == 0 ? "O" : "P";
    EXPECT_EQ(order[2], status) << order[0];
    statuses.insert(order[2]);
    int32_t orderdate = Date(order[4]);
    EXPECT_GE(orderdate, kStartDate);
    EXPECT_LE(orderdate, kEndDate - 151);
    EXPECT_TRUE(Contains(Priorities(), order[5])) << order[5];
    ASSERT_EQ(order[6].substr(0, 6), "Clerk#");
    int64_t clerk = std::stoll(order[6].substr(6));
    EXPECT_GE(clerk, 1);
    EXPECT_LE(clerk, 10);
    EXPECT_EQ(order[7], "0");
    EXPECT_GE(order[8].size(), 19u);
    EXPECT_LE(order[8].size(), 78u);
  }
  EXPECT_EQ(statuses, (std::set<std::string>{"F", "O", "P"}));
}

TEST_F(TpchSmallTest, SupplierCommentsForQ16Exist) {
  int complaints = 0;
  int recommends = 0;
  for (const Row& supplier : Read("supplier")) {
    const std::string& comment = supplier[6];
    size_t customer = comment.find("Customer ");
    if (customer == std::string::npos) continue;
    complaints += comment.find("Complaints", customer + 9) != std::string::npos;
    recommends += comment.find("Recommends", customer + 9) != std::string::npos;
  }
  EXPECT_GE(complaints, 1);
  EXPECT_GE(recommends, 1);
}

TEST_F(TpchSmallTest, CommentsCarryTheWordsQ13LooksFor) {
  int matches = 0;
  for (const Row& order : Read("orders")) {
    size_t special = order[8].find("special");
    matches +=
        special != std::string::npos && order[8].find("requests", special) != std::string::npos;
  }
  EXPECT_GT(matches, 0);
}

TEST_F(TpchSmallTest, NationsAndRegionsAreTheSpecifications) {
  std::vector<Row> nations = Read("nation");
  EXPECT_EQ(nations[0][1], "ALGERIA");
  EXPECT_EQ(nations[20][1], "SAUDI ARABIA");
  EXPECT_EQ(nations[20][2], "4");
  EXPECT_EQ(nations[24][1], "UNITED STATES");
  EXPECT_EQ(nations[24][2], "1");
  std::vector<Row> regions = Read("region");
  EXPECT_EQ(regions[3][1], "EUROPE");
  EXPECT_EQ(regions[4][1], "MIDDLE EAST");
}

TEST(TpchGeneratorTest, SupplierCommentsScaleWithSf) {
  SupplierComments one = ChooseSupplierComments(TpchScale(1));
  EXPECT_EQ(one.complaints.size(), 5u);
  EXPECT_EQ(one.recommends.size(), 5u);
  std::set<int64_t> all(one.complaints.begin(), one.complaints.end());
  all.insert(one.recommends.begin(), one.recommends.end());
  EXPECT_EQ(all.size(), 10u);
  SupplierComments hundred = ChooseSupplierComments(TpchScale(100));
  EXPECT_EQ(hundred.complaints.size(), 500u);
  EXPECT_EQ(hundred.recommends.size(), 500u);
}

TEST(TpchGeneratorTest, RowCountsAtSf01) {
  TempDir dir;
  int64_t lines = CheckRowCounts(dir, Generate(dir, 0.1, 2), 0.1);
  EXPECT_GT(lines, 590000);
  EXPECT_LT(lines, 610000);
}

TEST(TpchGeneratorTest, OutputDoesNotDependOnThreads) {
  TempDir one;
  TempDir three;
  Generate(one, 0.05, 1);
  Generate(three, 0.05, 3);
  for (TpchTable table : kAllTpchTables) {
    std::string name = std::string(TpchTableName(table)) + ".tbl";
    std::string first = ReadFile(one.File(name));
    EXPECT_FALSE(first.empty()) << name;
    EXPECT_TRUE(first == ReadFile(three.File(name))) << name << " differs";
  }
}

TEST(TpchGeneratorTest, OneTableAloneIsTheSameAsInTheFullSet) {
  TempDir all;
  TempDir alone;
  Generate(all, 0.01, 2);
  auto results = Generate(alone, 0.01, 2, TpchFormat::kTbl, {TpchTable::kLineitem});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].table, TpchTable::kLineitem);
  EXPECT_FALSE(std::filesystem::exists(alone.File("orders.tbl")));
  EXPECT_TRUE(ReadFile(all.File("lineitem.tbl")) == ReadFile(alone.File("lineitem.tbl")));
}

TEST(TpchGeneratorTest, CsvHasAHeaderAndQuotesCommas) {
  TempDir dir;
  auto results = Generate(dir, 0.01, 2, TpchFormat::kCsv, {TpchTable::kRegion, TpchTable::kOrders});
  ASSERT_EQ(results.size(), 2u);
  std::string region = ReadFile(dir.File("region.csv"));
  EXPECT_TRUE(region.starts_with("r_regionkey,r_name,r_comment\n")) << region;
  EXPECT_EQ(std::count(region.begin(), region.end(), '\n'), 6);
  EXPECT_EQ(region.find('|'), std::string::npos);
  std::string orders = ReadFile(dir.File("orders.csv"));
  EXPECT_TRUE(orders.starts_with("o_orderkey,o_custkey,o_orderstatus,o_totalprice,"));
  // Some comment holds a comma ("final, regular deposits") and is quoted.
  EXPECT_NE(orders.find(",\""), std::string::npos);
}

TEST(TpchGeneratorTest, BadArgumentsAreErrors) {
  TempDir dir;
  auto code_of = [&dir](double sf, int threads, std::string directory) -> std::string {
    TpchOptions options;
    options.scale_factor = sf;
    options.threads = threads;
    options.directory = directory;
    options.tables = {TpchTable::kRegion};
    try {
      GenerateTpch(options);
    } catch (const BasaltError& e) {
      return e.code();
    }
    return "ok";
  };
  EXPECT_EQ(code_of(0, 1, dir.path()), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(code_of(-1, 1, dir.path()), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(code_of(std::nan(""), 1, dir.path()), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(code_of(INFINITY, 1, dir.path()), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(code_of(1e9, 1, dir.path()), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(code_of(0.01, -1, dir.path()), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(code_of(0.01, 1, ""), sqlstate::kInvalidParameterValue);
  // A directory below a regular file cannot be created.
  EXPECT_EQ(code_of(0.01, 1, "/dev/null/tpch"), sqlstate::kIoError);
  EXPECT_EQ(code_of(0.01, 1, dir.path()), "ok");
}

TEST(TpchGeneratorTest, UnwritableFileIsAnError) {
  // A directory where the file should go cannot be opened for writing, even
  // by root, who may write into any directory.
  TempDir dir;
  std::filesystem::create_directories(dir.File("nation.tbl"));
  TpchOptions options;
  options.scale_factor = 0.01;
  options.directory = dir.path();
  try {
    GenerateTpch(options);
    ADD_FAILURE() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kIoError);
    EXPECT_NE(std::string(e.what()).find("could not create"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nation.tbl"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace basalt::tpch
