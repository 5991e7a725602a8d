"""psql's describe commands (\\l, \\dn, \\dt, \\d, \\d NAME, \\dv) against `basalt
server`: they run psql's own catalog queries over pg_catalog, so this checks
the system tables and catalog functions end to end, on what psql prints.

Run by ctest with BASALT_BIN set; needs psql from postgresql-client
(scripts/setup.sh) and fails, rather than skips, without it.
"""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_psql import PSQL, BasaltServerTestCase  # noqa: E402

SCHEMA = """
CREATE TABLE t (id INTEGER NOT NULL, name VARCHAR, price DECIMAL(10,2), day DATE);
CREATE VIEW cheap AS SELECT id, name FROM t WHERE price < 10;
CREATE SCHEMA sales;
CREATE TABLE sales.orders (o BIGINT NOT NULL, at TIMESTAMP);
"""


class PsqlCatalogTest(BasaltServerTestCase):
    def setUp(self):
        self.assertIsNotNone(PSQL, "psql not found: install postgresql-client (scripts/setup.sh)")
        super().setUp()
        self.psql("-q", "-c", SCHEMA)

    def psql(self, *args):
        """Runs psql as a person would (aligned tables, no pager) and returns its
        output; any error (psql stops a \\d at its first failing query) fails."""
        command = [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "basalt", "-d", "basalt",
                   "-X", "-P", "pager=off", "-v", "ON_ERROR_STOP=1", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        self.assertEqual((result.returncode, result.stderr), (0, ""),
                         f"psql {args}: stdout={result.stdout!r}\n"
                         f"server log so far:\n{self.read_log()}")
        return result.stdout

    def test_list_tables(self):
        self.assertEqual(self.psql("-c", r"\dt"),
                         "       List of relations\n"
                         " Schema | Name | Type  | Owner  \n"
                         "--------+------+-------+--------\n"
                         " main   | t    | table | basalt\n"
                         "(1 row)\n\n")
        # Tables outside the search path are listed by pattern.
        self.assertIn(" sales  | orders | table | basalt\n", self.psql("-c", r"\dt sales.*"))

    def test_describe_table(self):
        self.assertEqual(self.psql("-c", r"\d t"),
                         '                     Table "main.t"\n'
                         " Column |     Type      | Collation | Nullable | Default \n"
                         "--------+---------------+-----------+----------+---------\n"
                         " id     | integer       |           | not null | \n"
                         " name   | text          |           |          | \n"
                         " price  | numeric(10,2) |           |          | \n"
                         " day    | date          |           |          | \n\n")
        described = self.psql("-c", r"\d sales.orders")
        self.assertIn('Table "sales.orders"', described)
        self.assertIn(" o      | bigint                      |           | not null | \n",
                      described)
        self.assertIn(" at     | timestamp without time zone |           |          | \n",
                      described)

    def test_describe_view_and_list_views(self):
        self.assertEqual(self.psql("-c", r"\d cheap"),
                         '                 View "main.cheap"\n'
                         " Column |  Type   | Collation | Nullable | Default \n"
                         "--------+---------+-----------+----------+---------\n"
                         " id     | integer |           |          | \n"
                         " name   | text    |           |          | \n\n")
        self.assertIn(" main   | cheap | view | basalt\n", self.psql("-c", r"\dv"))

    def test_describe_unknown_relation(self):
        command = [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "basalt", "-d", "basalt",
                   "-X", "-c", r"\d nosuch"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.stderr, 'Did not find any relation named "nosuch".\n')

    def test_list_relations(self):
        self.assertEqual(self.psql("-c", r"\d"),
                         "        List of relations\n"
                         " Schema | Name  | Type  | Owner  \n"
                         "--------+-------+-------+--------\n"
                         " main   | cheap | view  | basalt\n"
                         " main   | t     | table | basalt\n"
                         "(2 rows)\n\n")

    def test_list_databases(self):
        listed = self.psql("-c", r"\l")
        self.assertIn("List of databases", listed)
        row = [line for line in listed.splitlines() if line.startswith(" basalt ")]
        self.assertEqual(len(row), 1, listed)
        self.assertEqual([cell.strip() for cell in row[0].split("|")][:3],
                         ["basalt", "basalt", "UTF8"])

    def test_list_schemas(self):
        # psql hides only pg_* and information_schema, so Basalt's own sys
        # schema is listed, as a user schema would be.
        self.assertEqual(self.psql("-c", r"\dn"),
                         "List of schemas\n"
                         " Name  | Owner  \n"
                         "-------+--------\n"
                         " main  | basalt\n"
                         " sales | basalt\n"
                         " sys   | basalt\n"
                         "(3 rows)\n\n")

    def test_list_roles_and_functions(self):
        roles = self.psql("-A", "-t", "-c", r"\du")
        self.assertEqual(roles, "basalt|Superuser, Create role, Create DB, Replication, "
                                "Bypass RLS|{}\n")
        self.assertIn("(0 rows)", self.psql("-c", r"\df"))

    def test_catalog_objects_follow_ddl(self):
        self.psql("-q", "-c", "DROP VIEW cheap; CREATE TABLE u (x INTEGER)")
        self.assertEqual(self.psql("-A", "-t", "-c", r"\dt"), "main|t|table|basalt\n"
                                                              "main|u|table|basalt\n")
        self.assertNotIn("cheap", self.psql("-c", r"\d"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
