"""`basalt server` with psycopg2, Python's most used PostgreSQL driver, in its
default mode: autocommit off, so it sends BEGIN before the first statement of
each transaction and COMMIT / ROLLBACK from conn.commit() / conn.rollback().
psycopg2 interpolates parameters on the client and uses the simple protocol.

Run by ctest with BASALT_BIN set and /usr/bin/python3; needs python3-psycopg2
(scripts/setup.sh) and fails, rather than skips, without it.
"""

import datetime
import decimal
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_psql import BasaltServerTestCase, RawClient, error_fields  # noqa: E402

try:
    import psycopg2
    import psycopg2.extensions
except ImportError as e:  # reported as a failure by every test
    psycopg2 = None
    IMPORT_ERROR = str(e)



class Psycopg2Test(BasaltServerTestCase):
    def setUp(self):
        self.assertIsNotNone(psycopg2, "cannot import psycopg2: install python3-psycopg2 "
                             f"(scripts/setup.sh) and run with /usr/bin/python3"
                             f" ({IMPORT_ERROR if psycopg2 is None else ''})")
        super().setUp()

    def connect(self):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="basalt", dbname="basalt",
                                connect_timeout=10)
        self.addCleanup(conn.close)
        return conn

    def test_transactions_parameters_and_types(self):
        conn = self.connect()
        self.assertFalse(conn.autocommit)
        status = psycopg2.extensions
        self.assertEqual(conn.get_transaction_status(), status.TRANSACTION_STATUS_IDLE)
        cur = conn.cursor()
        cur.execute("CREATE TABLE t (id INTEGER, name VARCHAR, amount DECIMAL(10,2), day DATE)")
        # psycopg2 sent BEGIN first: the server now reports a transaction block.
        self.assertEqual(conn.get_transaction_status(), status.TRANSACTION_STATUS_INTRANS)
        cur.execute("INSERT INTO t VALUES (%s, %s, %s, %s)",
                    (1, "x", decimal.Decimal("1.50"), datetime.date(2024, 1, 2)))
        cur.execute("INSERT INTO t VALUES (%s, %s, %s, %s)", (2, "it's", None, None))
        self.assertEqual(cur.rowcount, 1)
        conn.commit()
        self.assertEqual(conn.get_transaction_status(), status.TRANSACTION_STATUS_IDLE)

        cur.execute("SELECT id, name, amount, day FROM t ORDER BY id")
        self.assertEqual([d.name for d in cur.description], ["id", "name", "amount", "day"])
        rows = cur.fetchall()
        self.assertEqual(rows, [(1, "x", decimal.Decimal("1.50"), datetime.date(2024, 1, 2)),
                                (2, "it's", None, None)])
        self.assertIs(type(rows[0][0]), int)
        self.assertIs(type(rows[0][1]), str)
        self.assertIs(type(rows[0][2]), decimal.Decimal)
        self.assertIs(type(rows[0][3]), datetime.date)
        cur.execute("SELECT name FROM t WHERE id = %(id)s", {"id": 2})
        self.assertEqual(cur.fetchone(), ("it's",))
        # Reads only since BEGIN: ROLLBACK succeeds.
        conn.rollback()

        # A failing statement aborts the transaction until rollback.
        with self.assertRaises(psycopg2.Error) as raised:
            cur.execute("SELEC 1")
        self.assertEqual(raised.exception.pgcode, "42601")
        self.assertEqual(conn.get_transaction_status(), status.TRANSACTION_STATUS_INERROR)
        with self.assertRaises(psycopg2.Error) as raised:
            cur.execute("SELECT 1")
        self.assertEqual(raised.exception.pgcode, "25P02")
        conn.rollback()
        self.assertEqual(conn.get_transaction_status(), status.TRANSACTION_STATUS_IDLE)
        cur.execute("SELECT count(*) FROM t")
        self.assertEqual(cur.fetchone(), (2,))
        conn.commit()

    def test_rollback_after_a_write_fails_honestly(self):
        conn = self.connect()
        cur = conn.cursor()
        cur.execute("CREATE TABLE t (id INTEGER)")
        conn.commit()
        cur.execute("INSERT INTO t VALUES (%s)", (1,))
        with self.assertRaises(psycopg2.Error) as raised:
            conn.rollback()
        self.assertEqual(raised.exception.pgcode, "0A000")
        self.assertIn("ROLLBACK cannot undo changes", str(raised.exception))
        # The block ended; the row stays and the connection goes on.
        cur = conn.cursor()
        cur.execute("SELECT id FROM t")
        self.assertEqual(cur.fetchall(), [(1,)])
        conn.commit()

    def test_autocommit(self):
        conn = self.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SELECT %s + 1", (41,))
        self.assertEqual(cur.fetchone(), (42,))
        self.assertEqual(conn.get_transaction_status(),
                         psycopg2.extensions.TRANSACTION_STATUS_IDLE)

    def test_ready_for_query_status(self):
        client = RawClient(self.port)
        self.addCleanup(client.close)
        client.connect()
        self.assertEqual(client.query("BEGIN")[-1], (b"Z", b"T"))
        self.assertEqual(client.query("SELECT 1")[-1], (b"Z", b"T"))
        messages = client.query("SELECT * FROM missing")
        self.assertEqual(error_fields(messages[0][1])["C"], "42P01")
        self.assertEqual(messages[-1], (b"Z", b"E"))
        messages = client.query("SELECT 1")
        self.assertEqual(error_fields(messages[0][1])["C"], "25P02")
        self.assertEqual(messages[-1], (b"Z", b"E"))
        self.assertEqual(client.query("ROLLBACK"), [(b"C", b"ROLLBACK\0"), (b"Z", b"I")])
        self.assertEqual(client.query("BEGIN; SELECT 1; COMMIT")[-2:],
                         [(b"C", b"COMMIT\0"), (b"Z", b"I")])


if __name__ == "__main__":
    unittest.main()
