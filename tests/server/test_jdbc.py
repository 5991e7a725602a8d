"""`basalt server` with pgjdbc, the PostgreSQL JDBC driver: tests/server/JdbcTest.java
run by Java's source launcher against a server started here. The Java program
runs each part (connect, DDL and inserts, result types, a TPC-H Q1 aggregate,
PreparedStatements with setInt / setString / setBigDecimal / setDate, batches,
SQLSTATEs of errors, DatabaseMetaData.getTables / getColumns, Statement.cancel()
and setQueryTimeout giving 57014) and prints PASS or FAIL for each; every part
is a subtest here, so a failure names the part and pgjdbc's error.

Needs Debian's default-jdk-headless and libpostgresql-jdbc-java (scripts/setup.sh);
fails, rather than skips, without them. Run by ctest with BASALT_BIN set:

    BASALT_BIN=build/basalt /usr/bin/python3 tests/server/test_jdbc.py
"""

import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_psql import BasaltServerTestCase  # noqa: E402

JAVA = shutil.which("java")
PGJDBC_JAR = "/usr/share/java/postgresql.jar"
JAVA_SOURCE = os.path.join(HERE, "JdbcTest.java")
SECTIONS = [
    "connect", "create_and_insert", "select_types", "tpch_q1_aggregate", "prepared_statement",
    "prepared_statement_without_date", "prepared_select_list_parameters",
    "prepared_batch_insert", "errors", "metadata_get_tables", "metadata_get_columns", "cancel",
    "query_timeout",
]
# Compiling the source takes a few seconds; each cancel waits at most 15 s.
TIMEOUT = 240


class JdbcTest(BasaltServerTestCase):
    def setUp(self):
        self.assertIsNotNone(JAVA, "java not found: install default-jdk-headless "
                             "(scripts/setup.sh)")
        self.assertTrue(os.path.exists(PGJDBC_JAR), f"{PGJDBC_JAR} not found: install "
                        "libpostgresql-jdbc-java (scripts/setup.sh)")
        super().setUp()

    def test_pgjdbc(self):
        result = subprocess.run(
            [JAVA, "-cp", PGJDBC_JAR, JAVA_SOURCE, str(self.port)],
            capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        sys.stderr.write(result.stdout)
        outcomes = {}
        for line in result.stdout.splitlines():
            match = re.match(r"^(PASS|FAIL) (\w+)(.*)$", line)
            if match:
                outcomes[match.group(2)] = (match.group(1), match.group(3))
        for section in SECTIONS:
            with self.subTest(section=section):
                self.assertIn(section, outcomes,
                              f"the Java program did not report {section}; exit status "
                              f"{result.returncode}\nstdout:\n{result.stdout}\n"
                              f"stderr:\n{result.stderr[-4000:]}")
                verdict, detail = outcomes[section]
                self.assertEqual(verdict, "PASS", f"{section}{detail}")
        self.assertEqual(result.returncode, 0, "exit status (failed sections)")


if __name__ == "__main__":
    unittest.main()
