#include <gtest/gtest.h>

#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

Value D(const std::string& s) { return CastValue(Value::Varchar(s), TypeId::kDate); }
Value T(const std::string& s) { return CastValue(Value::Varchar(s), TypeId::kTimestamp); }
Value Iv(const std::string& s) { return CastValue(Value::Varchar(s), TypeId::kInterval); }
Value S(const std::string& s) { return Value::Varchar(s); }

// Expected values below were checked against PostgreSQL 15.
TEST(ExtractTest, IntegralFieldsAreBigint) {
  LogicalType type;
  Vector r =
      RunScalar("extract", {MakeConstant(S("year")), MakeFlat(TypeId::kDate, {D("2024-02-29")})}, 1,
                nullptr, &type);
  EXPECT_EQ(type, LogicalType(TypeId::kBigint));
  EXPECT_EQ(r.GetValue(0), Value::Bigint(2024));
  EXPECT_EQ(Eval("extract", {S("quarter"), D("2024-08-01")}), Value::Bigint(3));
  EXPECT_EQ(Eval("extract", {S("dow"), D("2024-02-25")}), Value::Bigint(0));
  EXPECT_EQ(Eval("extract", {S("isodow"), D("2024-02-25")}), Value::Bigint(7));
  EXPECT_EQ(Eval("extract", {S("doy"), D("2024-12-31")}), Value::Bigint(366));
  EXPECT_EQ(Eval("extract", {S("week"), D("2021-01-03")}), Value::Bigint(53));
  EXPECT_EQ(Eval("extract", {S("week"), D("2024-12-30")}), Value::Bigint(1));
  EXPECT_EQ(Eval("extract", {S("isoyear"), D("2021-01-03")}), Value::Bigint(2020));
  EXPECT_EQ(Eval("date_part", {S("HOUR"), T("2024-01-01 13:45:30.5")}), Value::Bigint(13));
  EXPECT_EQ(Eval("extract", {S("microseconds"), T("2024-01-01 13:45:30.5")}),
            Value::Bigint(30500000));
  EXPECT_EQ(Eval("extract", {S("century"), D("2000-12-31")}), Value::Bigint(20));
  EXPECT_EQ(Eval("extract", {S("century"), D("2001-01-01")}), Value::Bigint(21));
  EXPECT_EQ(Eval("extract", {S("decade"), D("1999-01-01")}), Value::Bigint(199));
  EXPECT_EQ(Eval("extract", {S("millennium"), D("2001-01-01")}), Value::Bigint(3));
  EXPECT_EQ(Eval("extract", {S("month"), T("1969-12-31 23:59:59")}), Value::Bigint(12));
}

TEST(ExtractTest, FractionalFieldsAreDouble) {
  EXPECT_EQ(Eval("extract", {S("second"), T("2024-01-01 13:45:30.5")}), Value::Double(30.5));
  EXPECT_EQ(Eval("extract", {S("millisecond"), T("2024-01-01 13:45:30.5")}), Value::Double(30500));
  EXPECT_EQ(Eval("extract", {S("epoch"), T("2024-01-01 00:00:01")}), Value::Double(1704067201));
  EXPECT_EQ(Eval("extract", {S("epoch"), D("1970-01-02")}), Value::Double(86400));
  // A field that varies by row: DOUBLE.
  LogicalType type;
  Vector r = RunScalar("extract",
                       {MakeFlat(TypeId::kVarchar, {S("year"), S("month")}),
                        MakeFlat(TypeId::kDate, {D("2024-02-29"), D("2024-02-29")})},
                       2, nullptr, &type);
  EXPECT_EQ(type, LogicalType(TypeId::kDouble));
  EXPECT_EQ(r.GetValue(0), Value::Double(2024));
  EXPECT_EQ(r.GetValue(1), Value::Double(2));
}

TEST(ExtractTest, Intervals) {
  EXPECT_EQ(Eval("extract", {S("year"), Iv("2 years 14 months")}), Value::Bigint(3));
  EXPECT_EQ(Eval("extract", {S("month"), Iv("14 months")}), Value::Bigint(2));
  EXPECT_EQ(Eval("extract", {S("day"), Iv("3 days 25 hours")}), Value::Bigint(3));
  EXPECT_EQ(Eval("extract", {S("hour"), Iv("3 days 25 hours")}), Value::Bigint(25));
  EXPECT_EQ(Eval("extract", {S("epoch"), Iv("1 year 1 month 1 day 1 second")}),
            Value::Double(34236001));
  ExpectError(
      [] {
        Eval("extract", {S("dow"), Iv("1 day")});
      },
      sqlstate::kFeatureNotSupported, "unit \"dow\" not supported for type interval");
}

TEST(ExtractTest, UnknownFieldAndNulls) {
  ExpectError(
      [] {
        Eval("extract", {S("foo"), D("2020-01-01")});
      },
      sqlstate::kInvalidParameterValue, "unit \"foo\" not recognized");
  Vector r = RunScalar(
      "extract",
      {MakeConstant(S("day")), MakeFlat(TypeId::kTimestamp, {Value::Null(TypeId::kTimestamp)})}, 1);
  EXPECT_TRUE(r.IsNull(0));
  EXPECT_EQ(Eval("year", {D("1998-12-01")}), Value::Bigint(1998));
  EXPECT_EQ(Eval("month", {T("1998-12-01 10:00:00")}), Value::Bigint(12));
  EXPECT_EQ(Eval("day", {D("1998-12-01")}), Value::Bigint(1));
}

TEST(DateTruncTest, Units) {
  EXPECT_EQ(Eval("date_trunc", {S("month"), T("2024-02-29 13:45:00")}), T("2024-02-01"));
  EXPECT_EQ(Eval("date_trunc", {S("week"), T("2024-02-29 13:45:00")}), T("2024-02-26"));
  EXPECT_EQ(Eval("date_trunc", {S("quarter"), T("2024-08-29")}), T("2024-07-01"));
  EXPECT_EQ(Eval("date_trunc", {S("year"), D("2024-08-29")}), T("2024-01-01"));
  EXPECT_EQ(Eval("date_trunc", {S("century"), T("2000-12-31")}), T("1901-01-01"));
  EXPECT_EQ(Eval("date_trunc", {S("decade"), T("1999-05-05")}), T("1990-01-01"));
  EXPECT_EQ(Eval("date_trunc", {S("millennium"), T("2001-05-05")}), T("2001-01-01"));
  EXPECT_EQ(Eval("date_trunc", {S("hour"), T("1969-12-31 23:30:00")}), T("1969-12-31 23:00:00"));
  EXPECT_EQ(EvalFlat("date_trunc", {S("minute"), T("2024-01-01 10:11:12")}),
            T("2024-01-01 10:11:00"));
  ExpectError(
      [] {
        Eval("date_trunc", {S("foo"), T("2024-01-01")});
      },
      sqlstate::kInvalidParameterValue, "unit \"foo\" not recognized");
}

TEST(DateFunctionsTest, MakeDate) {
  EXPECT_EQ(Eval("make_date", {Value::Integer(2024), Value::Integer(2), Value::Integer(29)}),
            D("2024-02-29"));
  ExpectError(
      [] {
        Eval("make_date", {Value::Integer(2023), Value::Integer(2), Value::Integer(29)});
      },
      sqlstate::kDatetimeFieldOverflow, "date field value out of range: 2023-02-29");
}

TEST(DateFunctionsTest, NowIsFixedPerBindAndNotDeterministic) {
  auto now = FunctionRegistry::Get().BindScalar("now", {}, {});
  ASSERT_TRUE(now.has_value());
  EXPECT_FALSE(now->deterministic);
  EXPECT_EQ(now->return_type, LogicalType(TypeId::kTimestamp));
  Vector r(TypeId::kTimestamp);
  now->kernel({}, nullptr, 3, now->data.get(), r);
  EXPECT_EQ(r.GetValue(0), r.GetValue(2));
  auto today = FunctionRegistry::Get().BindScalar("current_date", {}, {});
  Vector d(TypeId::kDate);
  today->kernel({}, nullptr, 1, today->data.get(), d);
  // The date of now(): cast the timestamp.
  EXPECT_EQ(d.GetValue(0), CastValue(r.GetValue(0), TypeId::kDate));
  EXPECT_GT(d.GetValue(0).GetInt64(), 19000);  // after 2022
}

}  // namespace
}  // namespace basalt
