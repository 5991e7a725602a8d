#!/usr/bin/env python3
"""Unit tests of compare.py's rules for "the same rows"."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def result(text):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
        f.write(text)
    try:
        return compare.Result(f.name)
    finally:
        os.unlink(f.name)


class CsvTest(unittest.TestCase):
    def test_null_and_empty_string_differ(self):
        r = result('a:VARCHAR,b:VARCHAR,c:INTEGER\n,"",1\n"x,""y""",z,\n')
        self.assertEqual(r.rows, [[None, "", "1"], ['x,"y"', "z", None]])
        self.assertEqual([c.kind for c in r.columns], ["text", "text", "int"])

    def test_decimal_header_with_comma(self):
        r = result('"s:DECIMAL(38,2)"\n1.50\n')
        self.assertEqual(r.columns[0].name, "s")
        self.assertEqual(r.columns[0].scale, 2)

    def test_quoted_line_break(self):
        r = result('a:VARCHAR\n"x\ny"\n')
        self.assertEqual(r.rows, [["x\ny"]])


class ValuesMatchTest(unittest.TestCase):
    INT = compare.Column("x:BIGINT")
    DBL = compare.Column("x:DOUBLE")
    DEC2 = compare.Column("x:DECIMAL(38,2)")
    DEC6 = compare.Column("x:DECIMAL(38,6)")
    TXT = compare.Column("x:VARCHAR")

    def test_integers_exact(self):
        self.assertTrue(compare.values_match("12345678901", self.INT, "12345678901", self.INT))
        self.assertFalse(compare.values_match("12345678901", self.INT, "12345678902", self.INT))

    def test_floats_relative(self):
        self.assertTrue(compare.values_match("1000000", self.DBL, "1000000.9", self.DBL))
        self.assertFalse(compare.values_match("1000000", self.DBL, "1000001.1", self.DBL))
        self.assertTrue(compare.values_match("0", self.DBL, "0", self.DBL))
        self.assertTrue(compare.values_match("1e+21", self.DBL, "1e21", self.DBL))

    def test_decimal_against_double_rounds_to_scale(self):
        # Basalt's avg(decimal) is DECIMAL(38,6); DuckDB's a DOUBLE.
        self.assertTrue(compare.values_match("0.049985", self.DEC6, "0.04998529583", self.DBL))
        self.assertFalse(compare.values_match("0.049986", self.DEC6, "0.04998529583", self.DBL))

    def test_decimals_as_numbers(self):
        self.assertTrue(compare.values_match("1.50", self.DEC2, "1.5", self.DBL))
        self.assertTrue(compare.values_match("1.50", self.DEC2, "1.500000", self.DEC6))
        self.assertFalse(compare.values_match("1.50", self.DEC2, "1.51", self.DEC2))
        self.assertTrue(compare.values_match("3", self.INT, "3.00", self.DEC2))

    def test_null(self):
        self.assertTrue(compare.values_match(None, self.INT, None, self.DBL))
        self.assertFalse(compare.values_match(None, self.TXT, "", self.TXT))

    def test_text_ignores_trailing_spaces(self):
        self.assertTrue(compare.values_match("Brand#13  ", self.TXT, "Brand#13", self.TXT))
        self.assertFalse(compare.values_match("a", self.TXT, "b", self.TXT))


class CompareResultsTest(unittest.TestCase):
    def test_unordered(self):
        e = result("a:INTEGER,b:DOUBLE\n1,0.5\n2,0.25\n")
        a = result("a:BIGINT,b:DOUBLE\n2,0.25\n1,0.5000000001\n")
        self.assertIsNone(compare.compare_results(e, a, ordered=False))
        self.assertIn("row 1", compare.compare_results(e, a, ordered=True))

    def test_counts(self):
        e = result("a:INTEGER\n1\n2\n")
        self.assertIn("got 1 rows, expected 2", compare.compare_results(e, result("a:INTEGER\n1\n"), False))
        self.assertIn("columns", compare.compare_results(e, result("a:INTEGER,b:INTEGER\n1,1\n2,2\n"),
                                                         False))


class OrderByTest(unittest.TestCase):
    def test_top_level_only(self):
        self.assertTrue(compare.has_order_by("select a from t\norder  by a;"))
        self.assertFalse(compare.has_order_by("select * from (select a from t order by a) s"))
        self.assertFalse(compare.has_order_by("select 'order by' -- order by\nfrom t"))
        self.assertTrue(compare.has_order_by(
            "create view v as select 1; select * from v order by 1; drop view v;"))


if __name__ == "__main__":
    unittest.main()
