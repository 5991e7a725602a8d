#!/usr/bin/env python3
"""Queries over managed (catalog) tables through the coordinator of a local
cluster run on its executors, which read the tables' segments from the shared
warehouse through their segment caches: the rows are right, the scans are
placed on the executors, an INSERT is seen by the next query, the caches hold
the segments and a second run (and a restart) copies nothing. Every process
started here is stopped here."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cluster_util import BASALT_BIN, free_port, node_address, pid_alive, run, status_rows  # noqa: E402

DAY_US = 86400 * 1000000


def counter(text, name):
    """The sum of a profile counter over every plan node of EXPLAIN ANALYZE."""
    return sum(int(v) for v in re.findall(r"\b" + name + r"=(\d+)", text))


class ManagedTablesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="basalt-managed-")
        self.port = free_port()
        self.pids = {}
        self.start()

    def start(self):
        result = run("cluster", "start", "--dir", self.dir, "--executors", "2",
                     "--port", str(self.port), "--threads", "2")
        self.assertEqual(result.returncode, 0, result.stderr)
        _, rows = status_rows(self.dir)
        self.pids.update({label: pid for label, (pid, _) in rows.items()})

    def stop(self):
        run("cluster", "stop", "--dir", self.dir)
        for pid in self.pids.values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)

    def tearDown(self):
        self.stop()
        if os.environ.get("KEEP_CLUSTER_DIR"):
            print("cluster dir kept:", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def query(self, sql, timeout=120):
        result = subprocess.run([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                                 "--format", "csv", "-c", sql],
                                capture_output=True, text=True, timeout=timeout)
        self.assertEqual(result.returncode, 0, f"{sql}\n{result.stderr}")
        return result.stdout

    def rows(self, sql):
        return self.query(sql).strip().splitlines()[1:]

    def executors(self):
        return sorted([node_address(self.dir, "executor-1"), node_address(self.dir, "executor-2")])

    def assert_scans_on_executors(self, sql):
        """Every fragment of the plan that scans a table runs on both executors."""
        plan = self.query("EXPLAIN " + sql)
        fragments = re.split(r"(?m)^(?=\S*Fragment \d+)", plan)
        scanning = [f for f in fragments if "TableScan" in f]
        self.assertTrue(scanning, plan)
        for fragment in scanning:
            header = fragment.splitlines()[0]
            self.assertIn("instances on", header, plan)
            hosts = header.split("instances on ")[1].split("]")[0].split(", ")
            self.assertEqual(sorted(hosts), self.executors(), plan)

    def warehouse_segments(self):
        root = os.path.join(self.dir, "data", "warehouse")
        found = set()
        for schema in os.listdir(root):
            for table in os.listdir(os.path.join(root, schema)):
                found.update(os.listdir(os.path.join(root, schema, table)))
        return found

    def cached_files(self, once=True):
        """{segment directory name: (executor, inode)} over both executors' caches;
        with `once`, no segment may be in both."""
        files = {}
        for label in ("executor-1", "executor-2"):
            cache = os.path.join(self.dir, label, "cache")
            if not os.path.isdir(cache):
                continue
            for name in os.listdir(cache):
                path = os.path.join(cache, name, "data.bsg")
                self.assertFalse(name.startswith("."), f"a temporary is left: {path}")
                if os.path.exists(path):
                    if once:
                        self.assertNotIn(name, files, "one segment cached by both executors")
                    files[(label, name) if not once else name] = (label, os.stat(path).st_ino)
        return files

    def test_managed_tables_on_executors(self):
        # t: three INSERTs, three segments. ev: PARTITION BY day, 10 days, 10
        # segments. c: CREATE TABLE AS SELECT from range().
        self.query("CREATE TABLE t (k INTEGER, v BIGINT, s VARCHAR)")
        for part in range(3):
            self.query(f"INSERT INTO t SELECT i % 100, i, 'x' || (i % 7) "
                       f"FROM range({part * 100000}, {(part + 1) * 100000}) r(i)")
        self.query("CREATE TABLE ev (ts TIMESTAMP, k INTEGER) PARTITION BY day(ts)")
        self.query("INSERT INTO ev SELECT TIMESTAMP '2024-01-01 00:00:00' + "
                   "i * INTERVAL '864 seconds', i % 10 FROM range(0, 10000) r(i)")
        self.query("CREATE TABLE c AS SELECT i AS id, i % 13 AS g FROM range(0, 50000) r(i)")
        self.query("CREATE TABLE empty_m (a INTEGER)")

        group_by = "SELECT k % 5 AS g, count(*), sum(v) FROM t GROUP BY 1 ORDER BY 1"
        self.assert_scans_on_executors(group_by)
        expected = {}
        for i in range(300000):
            g = (i % 100) % 5
            n, s = expected.get(g, (0, 0))
            expected[g] = (n + 1, s + i)
        self.assertEqual(self.rows(group_by),
                         [f"{g},{n},{s}" for g, (n, s) in sorted(expected.items())])

        join = ("SELECT c.g, count(*), sum(t.v) FROM t JOIN c ON t.v = c.id "
                "WHERE c.g < 3 GROUP BY 1 ORDER BY 1")
        self.assert_scans_on_executors(join)
        expected = {}
        for i in range(50000):
            if i % 13 < 3:
                n, s = expected.get(i % 13, (0, 0))
                expected[i % 13] = (n + 1, s + i)
        self.assertEqual(self.rows(join),
                         [f"{g},{n},{s}" for g, (n, s) in sorted(expected.items())])

        per_day = "SELECT date_trunc('day', ts) AS d, count(*) FROM ev GROUP BY 1 ORDER BY 1"
        self.assert_scans_on_executors(per_day)
        days = self.rows(per_day)
        self.assertEqual(len(days), 100, days)  # 10000 rows 864 s apart: 100 days
        self.assertTrue(all(row.endswith(",100") for row in days), days)
        # A filter on the partition column skips chunks; the rows are right.
        self.assertEqual(self.rows("SELECT count(*) FROM ev WHERE ts < TIMESTAMP '2024-01-03'"),
                         ["200"])

        self.assert_scans_on_executors("SELECT count(*) FROM empty_m")
        self.assertEqual(self.rows("SELECT count(*), sum(a) FROM empty_m"), ["0,"])

        # An INSERT is seen by the next query (its plan carries the new snapshot).
        self.query("INSERT INTO t VALUES (1000, -1, 'new'), (1001, -2, 'new')")
        self.assertEqual(self.rows("SELECT count(*), sum(v) FROM t WHERE s = 'new'"), ["2,-3"])
        self.assertEqual(self.rows("SELECT count(*) FROM t"), ["300002"])

        # Every segment was read, so every segment is in one executor's cache.
        every_table = ("SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM ev), "
                       "(SELECT sum(v) FROM t), (SELECT count(*) FROM c), "
                       "(SELECT sum(k) FROM ev)")
        first = self.query("EXPLAIN ANALYZE " + every_table)
        cached = self.cached_files()
        self.assertEqual(set(cached), self.warehouse_segments())
        self.assertEqual(len(cached), 3 + 1 + 100 + 1)
        # Both executors took a share.
        self.assertEqual({label for label, _ in cached.values()}, {"executor-1", "executor-2"})

        # A second run copies nothing: it reads the cached files.
        second = self.query("EXPLAIN ANALYZE " + every_table)
        self.assertEqual(counter(second, "segments_copied"), 0, second)
        self.assertGreaterEqual(counter(second, "segments_cached"), len(cached), second)
        self.assertEqual(self.cached_files(), cached)
        self.assertGreaterEqual(counter(first, "segments_cached") +
                                counter(first, "segments_copied"), len(cached), first)

        # A segment file that vanished from the warehouse before any executor
        # cached it: 58P01 naming the segment, from the executor that needed it.
        self.query("CREATE TABLE gone AS SELECT i AS a FROM range(0, 1000) r(i)")
        [segment] = os.listdir(os.path.join(self.dir, "data", "warehouse", "main", "gone"))
        shutil.rmtree(os.path.join(self.dir, "data", "warehouse", "main", "gone", segment))
        result = subprocess.run([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                                 "-c", "SELECT sum(a) FROM gone"],
                                capture_output=True, text=True, timeout=60)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("58P01", result.stderr)
        self.assertIn(segment, result.stderr)
        self.assertTrue(any(f"on {e}:" in result.stderr for e in self.executors()), result.stderr)
        self.query("DROP TABLE gone")

        answer = self.rows(every_table)
        # A restart keeps the caches: the files are adopted, not copied again.
        # (The executors come back on other RPC ports, so the scan ranges may
        # hash to the other executor, which then copies them.)
        before = self.cached_files(once=False)
        self.stop()
        self.start()
        third = self.query("EXPLAIN ANALYZE " + every_table)
        self.assertGreater(counter(third, "segments_cached"), 0, third)
        self.assertEqual(counter(third, "segments_cached") + counter(third, "segments_copied"),
                         counter(second, "segments_cached"), third)
        after = self.cached_files(once=False)
        for key, value in before.items():
            self.assertEqual(after.get(key), value, f"{key} was copied again")
        self.assertEqual(self.rows(every_table), answer)

if __name__ == "__main__":
    unittest.main(verbosity=2)
