#include "common/date_time.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

int32_t Date(std::string_view text) {
  int32_t days = 0;
  EXPECT_TRUE(ParseDate(text, &days)) << text;
  return days;
}

int64_t Timestamp(std::string_view text) {
  int64_t micros = 0;
  EXPECT_TRUE(ParseTimestamp(text, &micros)) << text;
  return micros;
}

TEST(DateTimeTest, BcDatesReadAsPostgresWritesThem) {
  // Year 1 BC is astronomical year 0; 5 BC (-4) is a leap year.
  EXPECT_EQ(Date("0005-02-29 BC"), DaysFromCivil(-4, 2, 29));
  EXPECT_EQ(Date("0001-12-31 BC"), DaysFromCivil(1, 1, 1) - 1);
  EXPECT_EQ(Date("  0044-03-15   bc  "), DaysFromCivil(-43, 3, 15));
  EXPECT_EQ(Date("2024-02-29 AD"), DaysFromCivil(2024, 2, 29));
  EXPECT_EQ(Date("0044-03-15 BC +00"), DaysFromCivil(-43, 3, 15));
  const int64_t ides = int64_t{DaysFromCivil(-43, 3, 15)} * kMicrosPerDay + 12 * kMicrosPerHour;
  EXPECT_EQ(Timestamp("0044-03-15 12:00:00 BC"), ides);
  EXPECT_EQ(Timestamp("0044-03-15T12:00:00 BC "), ides);
  EXPECT_EQ(Timestamp("0044-03-15 BC 12:00:00"), ides);  // the era after the date
  EXPECT_EQ(Timestamp("0044-03-15 BC"), ides - 12 * kMicrosPerHour);
  EXPECT_EQ(Timestamp("0005-02-29 23:59:59.5 BC"),
            int64_t{DaysFromCivil(-4, 3, 1)} * kMicrosPerDay - kMicrosPerSecond / 2);
}

TEST(DateTimeTest, BadErasAreRejected) {
  int32_t days;
  int64_t micros;
  EXPECT_FALSE(ParseDate("0004-02-29 BC", &days));  // 4 BC is not a leap year
  EXPECT_FALSE(ParseDate("0005-02-29", &days));
  EXPECT_FALSE(ParseDate("0000-01-01 BC", &days));
  EXPECT_FALSE(ParseDate("-0001-01-01 BC", &days));
  EXPECT_FALSE(ParseDate("0044-03-15BC", &days));
  EXPECT_FALSE(ParseDate("0044-03-15 BCE", &days));
  EXPECT_FALSE(ParseDate("0044-03-15 BC BC", &days));
  EXPECT_FALSE(ParseTimestamp("0044-03-15 BC 12:00:00 BC", &micros));
  EXPECT_FALSE(ParseTimestamp("0044-03-15 12:00:00BC", &micros));
  EXPECT_FALSE(ParseTimestamp("BC", &micros));
  EXPECT_FALSE(ParseTimestamp(" BC", &micros));
}

TEST(DateTimeTest, BcFormatsRoundTrip) {
  for (int32_t days : {DaysFromCivil(-4, 2, 29), DaysFromCivil(0, 1, 1), DaysFromCivil(0, 12, 31),
                       DaysFromCivil(-4713, 1, 1), DaysFromCivil(1, 1, 1), 0}) {
    EXPECT_EQ(Date(FormatDate(days)), days) << FormatDate(days);
    const int64_t micros = int64_t{days} * kMicrosPerDay + 45296789000;  // 12:34:56.789
    EXPECT_EQ(Timestamp(FormatTimestamp(micros)), micros) << FormatTimestamp(micros);
  }
  EXPECT_EQ(FormatDate(DaysFromCivil(-4, 2, 29)), "0005-02-29 BC");
  EXPECT_EQ(FormatTimestamp(int64_t{DaysFromCivil(-43, 3, 15)} * kMicrosPerDay + 1),
            "0044-03-15 00:00:00.000001 BC");
}

}  // namespace
}  // namespace basalt
