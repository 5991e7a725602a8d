"""`basalt server --data-dir DIR` across restarts (docs/managed_storage.md,
"What is promised"): a restart shows every committed table, view, schema and
row, and nothing else.

- Clean restart: tables (one partitioned by day), rows, a view and a schema
  made through psql; SIGTERM must stop the server with exit status 0 within
  a few seconds; a new server on the same directory answers the same queries
  with the same rows, and a dropped table stays dropped. SIGTERM while an
  INSERT runs also stops it with 0, and the INSERT is all there or not at all.
- Committed means durable: the server is SIGKILLed the moment a statement's
  CommandComplete arrives (raw protocol), or right after psycopg2's commit()
  returned, and after a restart the statement's effect is there.

Run by ctest with BASALT_BIN set; needs psql (postgresql-client) and
psycopg2 (python3-psycopg2), from scripts/setup.sh; fails without them.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_psql import PSQL, RawClient, error_fields, free_port  # noqa: E402

try:
    import psycopg2
except ImportError as e:  # reported as a failure by the test that needs it
    psycopg2 = None
    IMPORT_ERROR = str(e)

BASALT_BIN = os.environ.get("BASALT_BIN", "build/basalt")
STARTUP_TIMEOUT = 20
STOP_TIMEOUT = 5


class Server:
    """`basalt server` on a data directory and a free loopback port."""

    def __init__(self, test, data_dir):
        self.test = test
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [BASALT_BIN, "server", "--data-dir", data_dir, "--port", str(self.port),
             "--listen", "127.0.0.1", "--threads", "2"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log)
        test.addCleanup(self.cleanup)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            test.assertIsNone(self.process.poll(),
                              f"server exited during startup:\n{self.read_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                test.assertLess(time.monotonic(), deadline, "server did not start listening")
                time.sleep(0.05)

    def read_log(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def cleanup(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def stop(self):
        """SIGTERM: the server must exit 0 within STOP_TIMEOUT seconds."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self.test.fail(f"server did not stop within {STOP_TIMEOUT} s of SIGTERM:\n"
                           f"{self.read_log()}")
        self.test.assertEqual(self.process.returncode, 0,
                              f"server exit status after SIGTERM "
                              f"({time.monotonic() - started:.2f} s):\n{self.read_log()}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.test.assertEqual(self.process.returncode, -signal.SIGKILL)

    def psql(self, sql, expect_rc=0):
        command = [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "basalt", "-d", "basalt",
                   "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        self.test.assertEqual(result.returncode, expect_rc,
                              f"psql -c {sql!r}: stdout={result.stdout!r} stderr={result.stderr!r}\n"
                              f"server log:\n{self.read_log()}")
        return result.stdout if expect_rc == 0 else result.stderr


# Each answered the same before and after a restart.
CHECKS = [
    "SELECT count(*), sum(id), sum(amount), min(day), max(day) FROM sales.orders",
    "SELECT customer, count(*), sum(amount) FROM sales.orders GROUP BY customer ORDER BY customer",
    "SELECT * FROM sales.orders WHERE id IN (1, 2, 3, 9999) ORDER BY id",
    "SELECT * FROM sales.big_orders ORDER BY id LIMIT 5",
    "SELECT count(*) FROM sales.big_orders",
    "SELECT date_trunc('day', ts) AS d, count(*), sum(n) FROM events GROUP BY d ORDER BY d",
    "SELECT * FROM per_customer ORDER BY customer",
    "SELECT count(*), sum(x) FROM replaced",
    "SELECT nspname FROM pg_namespace WHERE nspname IN ('main', 'sales') ORDER BY nspname",
    "SELECT table_schema, table_name, table_type FROM information_schema.tables "
    "WHERE table_schema IN ('main', 'sales') ORDER BY table_schema, table_name",
    "SELECT table_name, column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = 'sales' ORDER BY table_name, ordinal_position",
]


class DurabilityTest(unittest.TestCase):
    def setUp(self):
        self.assertIsNotNone(PSQL, "psql not found: install postgresql-client (scripts/setup.sh)")
        self.data_dir = tempfile.mkdtemp(prefix="basalt-durability-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)

    def test_clean_restart_keeps_tables_views_schemas(self):
        server = Server(self, self.data_dir)
        server.psql("CREATE SCHEMA sales")
        server.psql("CREATE TABLE sales.orders (id INTEGER, customer VARCHAR, day DATE, "
                    "amount DECIMAL(10,2))")
        server.psql("INSERT INTO sales.orders VALUES (1, 'ann', DATE '2024-01-01', 10.50), "
                    "(2, 'bob', DATE '2024-01-02', NULL), (3, NULL, NULL, 999.99)")
        server.psql("INSERT INTO sales.orders SELECT CAST(i AS INTEGER), 'c' || CAST(i % 7 AS VARCHAR), "
                    "DATE '2024-01-01' + CAST(i % 90 AS INTEGER), CAST(i % 500 AS DECIMAL(10,2)) "
                    "FROM range(10, 10000) r(i)")
        server.psql("CREATE VIEW sales.big_orders AS SELECT id, customer, amount FROM sales.orders "
                    "WHERE amount > 400")
        server.psql("CREATE TABLE events (ts TIMESTAMP, n INTEGER) PARTITION BY day(ts)")
        server.psql("INSERT INTO events SELECT TIMESTAMP '2024-03-01 00:00:00' + i * INTERVAL '1 hour', "
                    "CAST(i AS INTEGER) FROM range(100) r(i)")
        server.psql("CREATE TABLE per_customer AS SELECT customer, count(*) AS n FROM sales.orders "
                    "GROUP BY customer")
        server.psql("CREATE TABLE replaced (x INTEGER)")
        server.psql("INSERT INTO replaced SELECT CAST(i AS INTEGER) FROM range(1000) r(i)")
        server.psql("INSERT OVERWRITE replaced SELECT CAST(i AS INTEGER) FROM range(5) r(i)")
        server.psql("CREATE TABLE dropped (x INTEGER)")
        server.psql("INSERT INTO dropped VALUES (1)")
        server.psql("DROP TABLE dropped")
        # The directory is the server's while it runs.
        shell = subprocess.run([BASALT_BIN, "--data-dir", self.data_dir, "-c", "SELECT 1"],
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(shell.returncode, 2, shell.stderr)
        self.assertIn("in use by another Basalt process", shell.stderr)
        before = [server.psql(sql) for sql in CHECKS]
        ids = [1, 2, 3] + list(range(10, 10000))
        amount = 10.50 + 999.99 + sum(i % 500 for i in range(10, 10000))
        self.assertEqual(before[0],
                         f"{len(ids)}|{sum(ids)}|{amount:.2f}|2024-01-01|2024-03-30\n")
        self.assertEqual(before[7], "5|10\n")
        self.assertIn("main|per_customer|BASE TABLE", before[9])
        self.assertIn("sales|big_orders|VIEW", before[9])
        server.stop()

        server = Server(self, self.data_dir)
        for sql, expected in zip(CHECKS, before):
            self.assertEqual(server.psql(sql), expected, f"after a restart: {sql}")
        self.assertIn("does not exist", server.psql("SELECT * FROM dropped", expect_rc=1))
        # And it goes on: a write after the restart, another restart.
        server.psql("INSERT INTO sales.orders VALUES (20000, 'zed', DATE '2024-06-01', 1.00)")
        server.stop()
        server = Server(self, self.data_dir)
        self.assertEqual(server.psql(CHECKS[0]),
                         f"{len(ids) + 1}|{sum(ids) + 20000}|{amount + 1:.2f}|2024-01-01|2024-06-01\n")
        server.stop()

    def run_and_kill(self, server, sql):
        """Sends `sql` and SIGKILLs the server as soon as its CommandComplete arrives."""
        client = RawClient(server.port)
        client.connect()
        client.send(b"Q", sql.encode() + b"\0")
        while True:
            kind, body = client.read_message()
            self.assertNotEqual(kind, b"E", f"{sql}: {error_fields(body)}")
            if kind == b"C":
                break
        server.kill()
        client.close()
        return body.rstrip(b"\0").decode()

    def test_kill_after_command_complete(self):
        server = Server(self, self.data_dir)
        server.psql("CREATE TABLE t (id BIGINT, v VARCHAR)")
        steps = [
            ("INSERT INTO t SELECT i, 'v' || i FROM range(5000) r(i)", "INSERT 0 5000",
             "SELECT count(*), sum(id) FROM t", f"5000|{sum(range(5000))}\n"),
            ("INSERT INTO t VALUES (100000, 'one')", "INSERT 0 1",
             "SELECT count(*), sum(id) FROM t", f"5001|{sum(range(5000)) + 100000}\n"),
            ("INSERT OVERWRITE t SELECT i, 'w' FROM range(10) r(i)", "INSERT 0 10",
             "SELECT count(*), sum(id), min(v) FROM t", "10|45|w\n"),
            ("CREATE TABLE c AS SELECT id * 2 AS id FROM t", "SELECT 10",
             "SELECT count(*), sum(id) FROM c", "10|90\n"),
            ("CREATE SCHEMA s", "CREATE SCHEMA",
             "SELECT count(*) FROM pg_namespace WHERE nspname = 's'", "1\n"),
            ("CREATE VIEW s.v AS SELECT count(*) AS n FROM c", "CREATE VIEW",
             "SELECT n FROM s.v", "10\n"),
            ("DROP TABLE t", "DROP TABLE",
             "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'", "0\n"),
        ]
        t_dir = os.path.join(self.data_dir, "warehouse", "main", "t")
        for sql, tag, check, expected in steps:
            with self.subTest(statement=sql):
                self.assertEqual(self.run_and_kill(server, sql), tag)
                server = Server(self, self.data_dir)
                self.assertEqual(server.psql(check), expected,
                                 f"after SIGKILL right after {sql!r} completed and a restart")
                if sql.startswith("INSERT OVERWRITE"):
                    self.assertEqual(len(os.listdir(t_dir)), 1,
                                     f"the segments the overwrite replaced are still there: "
                                     f"{os.listdir(t_dir)}")
        self.assertFalse(os.path.exists(t_dir), "the dropped table's segments are still there")
        server.stop()

    def test_sigterm_during_a_write(self):
        """SIGTERM while an INSERT runs: the server still stops with 0 within
        a few seconds, and the INSERT happened entirely or not at all."""
        server = Server(self, self.data_dir)
        server.psql("CREATE TABLE t (id BIGINT, v VARCHAR)")
        server.psql("INSERT INTO t SELECT i, 'old' FROM range(1000) r(i)")
        client = RawClient(server.port)
        client.connect()
        client.send(b"Q", b"INSERT INTO t SELECT i, md5(CAST(i AS VARCHAR)) "
                          b"FROM range(1000, 2001000) r(i)\0")
        time.sleep(0.15)
        server.stop()
        outcome = []
        try:
            while True:
                kind, body = client.read_message()
                if kind == b"E":
                    outcome.append(error_fields(body).get("C"))
                elif kind == b"C":
                    outcome.append(body.rstrip(b"\0").decode())
        except (EOFError, OSError):
            pass
        client.close()
        server = Server(self, self.data_dir)
        count = server.psql("SELECT count(*), sum(id) FROM t")
        self.assertIn(count, (f"1000|{sum(range(1000))}\n", f"2001000|{sum(range(2001000))}\n"),
                      f"neither the old rows nor the new (the client saw {outcome})")
        if outcome == ["INSERT 0 2000000"]:
            self.assertTrue(count.startswith("2001000|"), "a completed INSERT was lost")
        self.assertEqual(os.listdir(os.path.join(self.data_dir, "staging")), [])
        server.stop()

    def test_kill_after_psycopg2_commit(self):
        self.assertIsNotNone(psycopg2, "cannot import psycopg2: install python3-psycopg2 "
                             f"(scripts/setup.sh) and run with /usr/bin/python3"
                             f" ({IMPORT_ERROR if psycopg2 is None else ''})")
        server = Server(self, self.data_dir)
        conn = psycopg2.connect(host="127.0.0.1", port=server.port, user="basalt",
                                dbname="basalt", connect_timeout=10)
        try:
            cur = conn.cursor()
            cur.execute("CREATE TABLE p (id INTEGER, name VARCHAR)")
            for i in range(20):
                cur.execute("INSERT INTO p VALUES (%s, %s)", (i, f"name {i}"))
            cur.executemany("INSERT INTO p VALUES (%s, %s)", [(i, "many") for i in range(20, 50)])
            conn.commit()
            server.kill()
        finally:
            conn.close()
        server = Server(self, self.data_dir)
        self.assertEqual(server.psql("SELECT count(*), sum(id), count(DISTINCT name) FROM p"),
                         f"50|{sum(range(50))}|21\n",
                         "rows committed through psycopg2 before a SIGKILL are missing")
        server.stop()


if __name__ == "__main__":
    unittest.main()
