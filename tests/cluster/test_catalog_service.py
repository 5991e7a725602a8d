#!/usr/bin/env python3
"""The catalog service through real processes on 127.0.0.1: a local cluster
(statestore, catalog and coordinator in one process, and an executor) plus a
second coordinator without the catalog role. DDL and writes through either
coordinator are seen through the other within a second; REFRESH re-reads
files changed behind Basalt's back; errors keep their SQLSTATE and position;
with the catalog node gone the second coordinator still answers queries from
its replica and refuses writes with 08006. Every process started here is
stopped here, by pid."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cluster_util import BASALT_BIN, free_port, node_fields, pid_alive, run, status_rows, wait_for  # noqa: E402


class CatalogServiceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="basalt-catalog-")
        cls.port = free_port()
        result = run("cluster", "start", "--dir", cls.dir, "--executors", "1",
                     "--port", str(cls.port), "--threads", "1")
        assert result.returncode == 0, result.stderr
        _, rows = status_rows(cls.dir)
        cls.pids = {label: pid for label, (pid, _) in rows.items()}
        main = node_fields(cls.dir, "coordinator")
        statestore = f"{main['host']}:{main['rpc_port']}"
        # A second coordinator: no catalog role, so its catalog is a replica.
        cls.port2 = free_port()
        cls.log2 = open(os.path.join(cls.dir, "coordinator-2.log"), "w")
        cls.second = subprocess.Popen(
            [BASALT_BIN, "server", "--roles", "coordinator", "--rpc-port", "0",
             "--statestore", statestore, "--port", str(cls.port2), "--threads", "1"],
            stdout=cls.log2, stderr=subprocess.STDOUT)
        cls.pids["coordinator-2"] = cls.second.pid

        def second_ready():
            try:
                c = psycopg2.connect(host="127.0.0.1", port=cls.port2, user="basalt",
                                     dbname="basalt", connect_timeout=2)
                c.close()
                return True
            except psycopg2.OperationalError:
                return False
        wait_for(second_ready, 30, "the second coordinator to accept clients")
        cls.one = cls.connect(cls.port)
        cls.two = cls.connect(cls.port2)

    @classmethod
    def tearDownClass(cls):
        for c in (cls.one, cls.two):
            try:
                c.close()
            except Exception:
                pass
        run("cluster", "stop", "--dir", cls.dir)
        for pid in cls.pids.values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
        cls.second.wait(timeout=10)
        cls.log2.close()
        if os.environ.get("KEEP_CLUSTER_DIR"):
            print("cluster dir kept:", cls.dir)
        else:
            shutil.rmtree(cls.dir, ignore_errors=True)

    @staticmethod
    def connect(port):
        c = psycopg2.connect(host="127.0.0.1", port=port, user="basalt", dbname="basalt")
        c.autocommit = True
        return c

    def rows(self, connection, sql, params=None):
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else cur.statusmessage

    def error(self, connection, sql):
        with connection.cursor() as cur:
            with self.assertRaises(psycopg2.Error) as raised:
                cur.execute(sql)
        return raised.exception

    def seen_within(self, connection, sql, expected, seconds):
        """Runs `sql` until it gives `expected`; returns how long that took."""
        started = time.monotonic()
        last = None
        while time.monotonic() - started < seconds:
            try:
                last = self.rows(connection, sql)
                if last == expected:
                    return time.monotonic() - started
            except psycopg2.Error as e:
                last = e
            time.sleep(0.02)
        self.fail(f"{sql!r} gave {last!r}, not {expected!r}, for {seconds} s")

    def test_1_ddl_and_writes_cross_coordinators(self):
        # Through the second coordinator: forwarded to the catalog node, and
        # queryable through the second one as soon as the statement returns.
        self.assertEqual(self.rows(self.two, "CREATE TABLE t (k INTEGER, v VARCHAR)"),
                         "CREATE TABLE")
        self.assertEqual(self.rows(self.two, "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)"),
                         "INSERT 0 3")
        self.assertEqual(self.rows(self.two, "SELECT k, v FROM t ORDER BY k"),
                         [(1, "a"), (2, "b"), (3, None)])
        # ... and through the first within a second.
        self.seen_within(self.one, "SELECT count(*), sum(k) FROM t", [(3, 6)], 1.0)

        # The other way: a table made through the first is seen by the second.
        self.rows(self.one, "CREATE TABLE u AS SELECT i AS id, i % 7 AS g FROM range(0, 10000) r(i)")
        took = self.seen_within(self.two, "SELECT count(*), count(DISTINCT g) FROM u",
                                [(10000, 7)], 1.0)
        self.assertLess(took, 1.0)

        # A join through the second coordinator runs on the executor over the
        # shared warehouse and equals the first coordinator's answer.
        join = "SELECT t.k, count(*) FROM t JOIN u ON u.g = t.k GROUP BY t.k ORDER BY t.k"
        self.assertEqual(self.rows(self.two, join), self.rows(self.one, join))

        # Schemas, views, parameters of a prepared INSERT, ANALYZE.
        self.rows(self.two, "CREATE SCHEMA s")
        self.rows(self.two, "CREATE VIEW s.big AS SELECT k FROM t WHERE k > 1")
        self.seen_within(self.one, "SELECT k FROM s.big ORDER BY k", [(2,), (3,)], 1.0)
        with self.two.cursor() as cur:
            cur.execute("INSERT INTO t VALUES (%s, %s)", (4, "d"))
        self.assertEqual(self.rows(self.two, "SELECT v FROM t WHERE k = 4"), [("d",)])
        self.rows(self.two, "ANALYZE t")
        stats = self.seen_within(self.one, "SELECT count(*) FROM t", [(4,)], 1.0)
        self.assertLess(stats, 1.0)

        # DROP through the first: gone through the second.
        self.rows(self.one, "DROP VIEW s.big")
        self.rows(self.one, "DROP TABLE u")
        started = time.monotonic()
        while time.monotonic() - started < 1.0:
            try:
                self.rows(self.two, "SELECT count(*) FROM u")
            except psycopg2.Error as e:
                self.assertEqual(e.pgcode, "42P01")
                break
            time.sleep(0.02)
        else:
            self.fail("DROP TABLE through one coordinator not seen through the other in 1 s")

    def test_2_errors_keep_code_and_position(self):
        self.rows(self.two, "CREATE TABLE IF NOT EXISTS e (x INTEGER)")
        e = self.error(self.two, "CREATE TABLE e (x INTEGER)")
        self.assertEqual(e.pgcode, "42P07")
        # The catalog node's position is into the statement it ran, which is
        # the client's second statement here: shifted back into the whole text.
        sql = "SELECT 1; INSERT INTO e SELECT nosuch FROM e"
        e = self.error(self.two, sql)
        self.assertEqual(e.pgcode, "42703")
        self.assertEqual(int(e.diag.statement_position), sql.index("nosuch") + 1)
        # A failed write changes nothing.
        e = self.error(self.two, "INSERT INTO e SELECT 1 / 0")
        self.assertEqual(e.pgcode, "22012")
        self.assertEqual(self.rows(self.one, "SELECT count(*) FROM e"), [(0,)])

    def test_3_refresh_rereads_changed_files(self):
        path = os.path.join(self.dir, "people.csv")
        with open(path, "w") as f:
            f.write("id,name\n1,ann\n2,bob\n")
        self.rows(self.two, f"CREATE EXTERNAL TABLE people STORED AS CSV LOCATION '{path}'")
        self.seen_within(self.one, "SELECT count(*) FROM people", [(2,)], 1.0)
        # A column appears behind Basalt's back; REFRESH through the second
        # coordinator re-infers it, and the first sees the new column.
        with open(path, "w") as f:
            f.write("id,name,age\n1,ann,30\n2,bob,40\n3,cy,50\n")
        self.rows(self.two, "REFRESH people")
        self.seen_within(self.one, "SELECT sum(age) FROM people", [(120,)], 1.0)
        self.rows(self.one, "INVALIDATE METADATA people")
        self.assertEqual(self.rows(self.two, "SELECT name FROM people WHERE age = 50"), [("cy",)])

    def test_4_catalog_node_gone(self):
        self.rows(self.two, "CREATE TABLE kept AS SELECT i FROM range(0, 100) r(i)")
        os.kill(self.pids["coordinator"], signal.SIGKILL)
        wait_for(lambda: not pid_alive(self.pids["coordinator"]), 10, "the catalog node to die")
        # Reads go on from the replica (the executor reads the shared warehouse).
        self.assertEqual(self.rows(self.two, "SELECT count(*), sum(i) FROM kept"), [(100, 4950)])
        # Writes need the catalog service.
        e = self.error(self.two, "CREATE TABLE lost (x INTEGER)")
        self.assertEqual(e.pgcode, "08006")
        self.assertIn("catalog", str(e))
        self.assertEqual(self.rows(self.two, "SELECT count(*) FROM kept"), [(100,)])


if __name__ == "__main__":
    unittest.main(verbosity=2)
