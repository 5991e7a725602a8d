// Errors raised while a statement is bound point into its text: a function
// that checks a constant argument when bound (a regular expression compiled,
// a LIKE escape), and the elements of a constant array in x = ANY ('{...}').
#include <gtest/gtest.h>

#include <string>

#include "common/exception.h"
#include "main/database.h"

namespace basalt {
namespace {

struct Case {
  const char* sql;
  const char* code;
  int32_t position;
};

TEST(BindErrorPositionTest, ErrorsWhileBindingCarryThePosition) {
  Database db(DatabaseOptions{1, ""});
  Connection con(db);
  const Case cases[] = {
      // The function binder compiles a constant pattern: at the match.
      {"SELECT 'a' ~ '('", sqlstate::kInvalidRegularExpression, 7},
      {"SELECT 'a' !~* '[z-a]'", sqlstate::kInvalidRegularExpression, 7},
      {"SELECT 'a' LIKE 'a' ESCAPE 'xy'", "22019", 7},
      // A constant array is read when bound: at the array.
      {"SELECT 1 = ANY ('{1,a}')", sqlstate::kInvalidTextRepresentation, 16},
      {"SELECT 1 <> ALL ('{1,{2}}')", sqlstate::kInvalidTextRepresentation, 17},
      // The reg* input functions run while binding a constant: at the cast.
      {"SELECT '5000000000'::regclass", sqlstate::kNumericOutOfRange, 7},
  };
  for (const Case& c : cases) {
    QueryResult r = con.Query(c.sql);
    ASSERT_FALSE(r.ok) << c.sql;
    EXPECT_EQ(r.error_code, c.code) << c.sql << ": " << r.error_message;
    EXPECT_EQ(r.error_position, c.position) << c.sql << ": " << r.error_message;
  }
}

TEST(BindErrorPositionTest, PatternFromAColumnFailsWhenRun) {
  Database db(DatabaseOptions{1, ""});
  Connection con(db);
  ASSERT_TRUE(con.Query("CREATE TABLE p (s VARCHAR, pat VARCHAR)").ok);
  ASSERT_TRUE(con.Query("INSERT INTO p VALUES ('a', 'a'), ('b', '('), ('c', 'c')").ok);
  QueryResult r = con.Query("SELECT s ~ pat FROM p");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error_code, sqlstate::kInvalidRegularExpression);
  QueryResult like = con.Query("SELECT s LIKE pat ESCAPE pat FROM p");
  ASSERT_FALSE(like.ok);  // 'a' as the escape of the pattern 'a' ends with the escape
  EXPECT_EQ(like.error_code, sqlstate::kInvalidEscapeSequence);
}

}  // namespace
}  // namespace basalt
