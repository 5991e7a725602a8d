// Mangled SQL must give an error or a result, never a crash or a hang. The
// statements below are cut, spliced and sprinkled with stray tokens in a
// fixed pseudo-random order, so every run tries the same inputs. The corpus
// holds no INSERT and no table function: a mangled one could legitimately
// grow the data without bound.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "main/database.h"

namespace basalt {
namespace {

const char* const kSetup = R"sql(
CREATE TABLE t (a INTEGER, b VARCHAR, c DECIMAL(10,2), d DATE);
INSERT INTO t VALUES (1, 'x', 1.50, DATE '2024-01-01'), (2, NULL, -2.25, NULL), (NULL, 'zz', 0, DATE '1999-12-31');
CREATE TABLE u (a INTEGER, e DOUBLE);
INSERT INTO u VALUES (1, 0.5), (3, NULL), (NULL, 2.0);
)sql";

const char* const kCorpus[] = {
    "SELECT a, b, sum(c) FROM t GROUP BY a, b HAVING count(*) > 0 ORDER BY 1 DESC NULLS LAST LIMIT 2",
    "SELECT t.a, u.e FROM t LEFT JOIN u ON t.a = u.a WHERE t.c > 0 OR u.e IS NULL",
    "SELECT CASE WHEN a > 1 THEN 'big' ELSE b END, COALESCE(b, 'none'), NULLIF(a, 1) FROM t",
    "SELECT a FROM t WHERE a IN (SELECT a FROM u) AND EXISTS (SELECT 1 FROM u WHERE u.a = t.a)",
    "SELECT (SELECT max(e) FROM u WHERE u.a = t.a), d + INTERVAL '1 month' FROM t",
    "SELECT row_number() OVER (PARTITION BY b ORDER BY a), rank() OVER (ORDER BY c DESC) FROM t",
    "WITH x AS (SELECT a, count(*) AS n FROM t GROUP BY a) SELECT * FROM x, x AS y WHERE x.a = y.a",
    "SELECT a FROM t UNION SELECT a FROM u INTERSECT SELECT a FROM t EXCEPT ALL SELECT 7",
    "SELECT substring(b FROM 1 FOR 2), upper(b) || '-' || lower(b), length(b), trim(b) FROM t",
    "SELECT extract(year FROM d), CAST(c AS INTEGER), c::VARCHAR, '12'::INTEGER + 1 FROM t",
    "SELECT a, sum(c) FROM t GROUP BY ROLLUP (a) ORDER BY 1",
    "CREATE VIEW v AS SELECT a, b FROM t WHERE c BETWEEN -1 AND 1",
    "SELECT * FROM (VALUES (0), (1), (2)) r(x) CROSS JOIN (VALUES (1, 'a'), (2, 'b')) v(k, s) "
    "WHERE x % 2 = k - 1",
    "SELECT count(DISTINCT b), avg(c), min(d), max(b) FROM t WHERE b LIKE '%z%' OR b ILIKE 'X'",
    "EXPLAIN SELECT a, count(*) FROM t JOIN u USING (a) GROUP BY a",
};

const char* const kStrayTokens[] = {"(", ")", ",", "SELECT", "FROM", "WHERE", "NULL", "'",  "\"",
                                    "1e999", "--", "/*", "::", "*", "AND", "OVER", "(SELECT", "1/0",
                                    "99999999999999999999999999999999999999999", ";", "\\", "\xff"};

struct Rng {
  uint64_t state;
  uint64_t Next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
};

std::string Mangle(const std::string& sql, Rng& rng) {
  std::string s = sql;
  int edits = 1 + static_cast<int>(rng.Below(3));
  for (int e = 0; e < edits; e++) {
    size_t at = rng.Below(s.size() + 1);
    switch (rng.Below(4)) {
      case 0:  // cut the rest
        s.resize(at);
        break;
      case 1:  // delete a span
        s.erase(at, rng.Below(8));
        break;
      case 2: {  // insert a stray token
        const char* token = kStrayTokens[rng.Below(std::size(kStrayTokens))];
        s.insert(at, std::string(" ") + token + " ");
        break;
      }
      case 3: {  // splice in a piece of another statement
        std::string other = kCorpus[rng.Below(std::size(kCorpus))];
        size_t from = rng.Below(other.size());
        s.insert(at, other.substr(from, rng.Below(30)));
        break;
      }
    }
  }
  return s;
}

TEST(RobustnessTest, MangledStatementsGiveErrorsNotCrashes) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  ASSERT_TRUE(con.Query(kSetup).ok);
  Rng rng{0x9e3779b97f4a7c15ULL};
  int errors = 0, results = 0;
  for (int round = 0; round < 1000; round++) {
    for (const char* sql : kCorpus) {
      std::string mangled = Mangle(sql, rng);
      QueryResult r = con.Query(mangled);
      if (r.ok) {
        results++;
      } else {
        errors++;
        // Every error names a SQLSTATE and says something.
        EXPECT_EQ(r.error_code.size(), 5u) << mangled;
        EXPECT_FALSE(r.error_message.empty()) << mangled;
        EXPECT_NE(r.error_code, "XX000") << mangled << ": " << r.error_message;
        EXPECT_LE(r.error_position, static_cast<int32_t>(mangled.size())) << mangled;
      }
    }
  }
  EXPECT_GT(errors, 100);
  EXPECT_GT(results, 10);
  // The connection still works.
  QueryResult r = con.Query("SELECT count(*) FROM u");
  ASSERT_TRUE(r.ok) << r.error_message;
}

}  // namespace
}  // namespace basalt
