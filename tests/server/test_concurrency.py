"""`basalt server` under load: 200 psycopg2 clients connected at the same time,
each running aggregates over a shared table, its own lookups, and inserts into
a shared table, and checking every answer. The server must serve all of them
at once (no connection refused, no 53300, no wrong row).

Prints how many connections were held at once and the wall time. Run by ctest
with BASALT_BIN set and /usr/bin/python3 (python3-psycopg2, scripts/setup.sh):

    BASALT_BIN=build/basalt /usr/bin/python3 tests/server/test_concurrency.py
"""

import decimal
import os
import sys
import threading
import time
import traceback
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_psql import BasaltServerTestCase  # noqa: E402

try:
    import psycopg2
except ImportError as e:  # reported as a failure by the test
    psycopg2 = None
    IMPORT_ERROR = str(e)

CLIENTS = 200
ROWS = 20000
GROUPS = 17
INSERTS_PER_CLIENT = 3
# Times each client runs its two aggregates over the shared table.
ROUNDS = 3
# Every client connects before any runs a query, so all are held at once;
# a client that cannot connect in this time fails the test.
CONNECT_TIMEOUT = 30
# The whole run; the test is meant to take a few seconds on 2 cores.
RUN_TIMEOUT = 50


def amount_of(i):
    """The amount of row i, as the server computes it (exact decimal)."""
    return decimal.Decimal(i % 1000) / 4


class ConcurrencyTest(BasaltServerTestCase):
    # Room for the 200 clients and the setup connection, whatever the default is.
    SERVER_ARGS = ("--max-connections", str(CLIENTS + 50))

    def setUp(self):
        self.assertIsNotNone(psycopg2, "cannot import psycopg2: install python3-psycopg2 "
                             "(scripts/setup.sh) and run with /usr/bin/python3"
                             f" ({IMPORT_ERROR if psycopg2 is None else ''})")
        super().setUp()

    def connect(self):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="basalt",
                                dbname="basalt", connect_timeout=CONNECT_TIMEOUT)
        conn.autocommit = True
        return conn

    def test_200_clients_at_once(self):
        setup = self.connect()
        cur = setup.cursor()
        cur.execute(f"""
            CREATE TABLE items AS
            SELECT i AS id, i % {GROUPS} AS grp,
                   CAST(i % 1000 AS DECIMAL(12,2)) / 4 AS amount, 'item ' || i AS name
            FROM generate_series(1, {ROWS}) g(i)""")
        cur.execute("CREATE TABLE visits (client INTEGER, n INTEGER)")
        setup.close()

        total = sum(amount_of(i) for i in range(1, ROWS + 1))
        by_group = {}
        for i in range(1, ROWS + 1):
            count, amount = by_group.get(i % GROUPS, (0, decimal.Decimal(0)))
            by_group[i % GROUPS] = (count + 1, amount + amount_of(i))

        lock = threading.Lock()
        state = {"connected": 0, "held": 0, "max_held": 0, "queries": 0}
        errors = []
        all_connected = threading.Barrier(CLIENTS, timeout=CONNECT_TIMEOUT + 10)

        def client(n):
            conn = None
            try:
                conn = self.connect()
                with lock:
                    state["connected"] += 1
                    state["held"] += 1
                    state["max_held"] = max(state["max_held"], state["held"])
                # Nobody queries until everyone is connected: the server holds
                # all the connections at the same time.
                all_connected.wait()
                cur = conn.cursor()
                queries = 0

                low = n % GROUPS
                for _ in range(ROUNDS):
                    cur.execute("SELECT count(*), sum(amount), min(id), max(id) FROM items")
                    self.assertEqual(cur.fetchall(), [(ROWS, total, 1, ROWS)])
                    # A different slice of the groups for each client.
                    cur.execute("SELECT grp, count(*), sum(amount) FROM items "
                                "WHERE grp >= %s GROUP BY grp ORDER BY grp", (low,))
                    expected = [(g, *by_group[g]) for g in range(low, GROUPS)]
                    self.assertEqual(cur.fetchall(), expected)
                    queries += 2

                row = n * 97 % ROWS + 1
                cur.execute("SELECT id, name, amount FROM items WHERE id = %s", (row,))
                self.assertEqual(cur.fetchall(), [(row, f"item {row}", amount_of(row))])
                queries += 1

                for k in range(INSERTS_PER_CLIENT):
                    cur.execute("INSERT INTO visits VALUES (%s, %s)", (n, k))
                    self.assertEqual(cur.statusmessage, "INSERT 0 1")
                    queries += 1
                cur.execute("SELECT count(*), sum(n) FROM visits WHERE client = %s", (n,))
                self.assertEqual(cur.fetchall(),
                                 [(INSERTS_PER_CLIENT, sum(range(INSERTS_PER_CLIENT)))])
                queries += 1

                cur.execute("SELECT %s * 2 AS twice, 'client ' || %s AS who", (n, n))
                self.assertEqual(cur.fetchall(), [(n * 2, f"client {n}")])
                queries += 1

                # An error leaves the connection usable.
                with self.assertRaises(psycopg2.Error) as raised:
                    cur.execute("SELECT 1 / (id - id) FROM items WHERE id = 1")
                self.assertEqual(raised.exception.pgcode, "22012")
                cur.execute("SELECT count(*) FROM items WHERE grp = %s", (low,))
                self.assertEqual(cur.fetchall(), [(by_group[low][0],)])
                queries += 2
                with lock:
                    state["queries"] += queries
            except BaseException:  # noqa: B902 - reported by the main thread
                with lock:
                    errors.append(f"client {n}:\n{traceback.format_exc()}")
                all_connected.abort()  # do not leave the others waiting
            finally:
                if conn is not None:
                    conn.close()
                    with lock:
                        state["held"] -= 1

        start = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,), daemon=True)
                   for n in range(CLIENTS)]
        for t in threads:
            t.start()
        deadline = start + RUN_TIMEOUT
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        elapsed = time.monotonic() - start
        stuck = sum(t.is_alive() for t in threads)

        print(f"\n{CLIENTS} clients: {state['connected']} connected, "
              f"{state['max_held']} connections held at once, {state['queries']} queries, "
              f"wall time {elapsed:.2f} s", file=sys.stderr)
        self.assertEqual(stuck, 0, f"{stuck} clients still running after {RUN_TIMEOUT} s; "
                                   f"server log:\n{self.read_log()[-3000:]}")
        # The first error explains the rest (a broken barrier).
        if errors:
            self.fail(f"{len(errors)} clients failed; the first:\n{errors[0]}")
        self.assertEqual(state["connected"], CLIENTS)
        self.assertEqual(state["max_held"], CLIENTS)
        self.assertEqual(state["queries"], CLIENTS * (2 * ROUNDS + INSERTS_PER_CLIENT + 5))

        check = self.connect()
        cur = check.cursor()
        cur.execute("SELECT count(*), count(DISTINCT client) FROM visits")
        self.assertEqual(cur.fetchall(), [(CLIENTS * INSERTS_PER_CLIENT, CLIENTS)])
        check.close()


if __name__ == "__main__":
    unittest.main()
