#!/usr/bin/env python3
"""Queries through the coordinator of a local cluster run on its executors:
the rows are right, a query loses an executor killed with SIGKILL and says
which, the next query runs on the executor left, and with none left the
coordinator says so. Every process started here is stopped here."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cluster_util import BASALT_BIN, free_port, node_address, pid_alive, run, status_rows, wait_for  # noqa: E402

GROUP_BY = ("SELECT i % 5 AS g, count(*), sum(i) FROM range(0, 1000000) r(i) "
            "GROUP BY 1 ORDER BY 1")
GROUP_BY_ROWS = ["g,count,sum", "0,200000,99999500000", "1,200000,99999700000",
                 "2,200000,99999900000", "3,200000,100000100000", "4,200000,100000300000"]
# Long enough (several seconds) to lose an executor in the middle.
LONG_JOIN = ("SELECT count(*) FROM range(0, 400000) a(i) JOIN range(0, 400000) b(j) "
             "ON i % 100 = j % 100")


class DistributedQueryTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="basalt-queries-")
        self.port = free_port()
        result = run("cluster", "start", "--dir", self.dir, "--executors", "2",
                     "--port", str(self.port), "--threads", "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        _, rows = status_rows(self.dir)
        self.pids = {label: pid for label, (pid, _) in rows.items()}

    def tearDown(self):
        run("cluster", "stop", "--dir", self.dir)
        for pid in self.pids.values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
        if os.environ.get("KEEP_CLUSTER_DIR"):
            print("cluster dir kept:", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def query(self, sql, timeout=120):
        return subprocess.run([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                               "--format", "csv", "-c", sql],
                              capture_output=True, text=True, timeout=timeout)

    def kill(self, label):
        os.kill(self.pids[label], signal.SIGKILL)
        wait_for(lambda: status_rows(self.dir)[1][label][1].startswith("failed"), 10,
                 f"the statestore to declare {label} failed")

    def test_rows_lost_executor_and_no_executor(self):
        # EXPLAIN shows where each fragment runs.
        plan = self.query("EXPLAIN " + GROUP_BY)
        self.assertEqual(plan.returncode, 0, plan.stderr)
        self.assertIn("1 instance on the coordinator", plan.stdout)
        executors = sorted([node_address(self.dir, "executor-1"),
                            node_address(self.dir, "executor-2")])
        fragment_lines = [line for line in plan.stdout.splitlines() if "instances on" in line]
        self.assertTrue(fragment_lines, plan.stdout)
        for line in fragment_lines:
            hosts = line.split("instances on ")[1].split("]")[0].split(", ")
            self.assertEqual(sorted(hosts), executors, line)

        result = self.query(GROUP_BY)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), GROUP_BY_ROWS)

        # EXPLAIN ANALYZE counts what the executors' instances did.
        analyze = self.query("EXPLAIN ANALYZE " + GROUP_BY)
        self.assertEqual(analyze.returncode, 0, analyze.stderr)
        self.assertIn("TableScan main.range columns: range [rows=1000000 ", analyze.stdout)
        # A LIMIT stops the executors' parts early; the query still ends at once.
        started = time.monotonic()
        result = self.query("SELECT i FROM range(0, 3000000) r(i) LIMIT 3")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(result.stdout.split()), 4)
        self.assertLess(time.monotonic() - started, 5)

        # An error on an executor reaches the client with its own SQLSTATE.
        result = self.query("SELECT i % 3, sum(1 / (i - 500000)) FROM range(0, 1000000) r(i) "
                            "GROUP BY 1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("22012", result.stderr)
        self.assertIn("division by zero", result.stderr)

        # An executor killed while a query runs on it fails that query, naming it.
        victim = node_address(self.dir, "executor-1")
        running = subprocess.Popen([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                                    "-c", LONG_JOIN], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        self.assertIsNone(running.poll(), "the long query ended before the kill")
        killed_at = time.monotonic()
        os.kill(self.pids["executor-1"], signal.SIGKILL)
        _, err = running.communicate(timeout=60)
        self.assertLess(time.monotonic() - killed_at, 10)
        self.assertNotEqual(running.returncode, 0)
        self.assertIn("08006", err)
        self.assertIn(victim, err)

        # Once the statestore has noticed, queries run on the executor left.
        wait_for(lambda: status_rows(self.dir)[1]["executor-1"][1].startswith("failed"), 10,
                 "the statestore to declare executor-1 failed")
        result = self.query(GROUP_BY)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), GROUP_BY_ROWS)

        # With no executor left, the coordinator says so.
        self.kill("executor-2")
        result = self.query(GROUP_BY)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("no executor is live", result.stderr)
        self.assertIn("08006", result.stderr)
        # Writes run on the coordinator. Its managed tables are read by the
        # executors, like files, so a query over one needs an executor too;
        # system tables are read on the coordinator.
        result = self.query("CREATE TABLE t AS SELECT 1 AS x")
        self.assertEqual(result.returncode, 0, result.stderr)
        result = self.query("SELECT x + 1 AS y FROM t")
        self.assertIn("no executor is live", result.stderr)
        result = self.query("SELECT table_name FROM information_schema.tables "
                            "WHERE table_name = 't'")
        self.assertEqual(result.stdout.split(), ["table_name", "t"])


class DistributedFilesTest(unittest.TestCase):
    """CSV, JSON and Parquet files and an external table, read by the
    executors of a local cluster, give the rows the embedded engine gives."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="basalt-files-")
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.data)
        for k in range(6):
            ext = "parquet" if k % 2 else "csv"
            options = "FORMAT parquet" if k % 2 else "FORMAT csv, HEADER true"
            result = run("-c", f"COPY (SELECT i, i % 7 AS g, 'x' || i AS s FROM "
                         f"range({k * 1000}, {(k + 1) * 1000}) r(i)) TO "
                         f"'{self.data}/part-{k}.{ext}' ({options})")
            self.assertEqual(result.returncode, 0, result.stderr)
        for k in range(4):
            with open(os.path.join(self.data, f"part-{k}.jsonl"), "w") as f:
                for i in range(k * 500, (k + 1) * 500):
                    f.write(f'{{"i": {i}, "g": {i % 5}}}\n')
        self.port = free_port()
        result = run("cluster", "start", "--dir", os.path.join(self.dir, "cluster"),
                     "--executors", "2", "--port", str(self.port), "--threads", "1")
        self.assertEqual(result.returncode, 0, result.stderr)

    def tearDown(self):
        run("cluster", "stop", "--dir", os.path.join(self.dir, "cluster"))
        shutil.rmtree(self.dir, ignore_errors=True)

    def cluster(self, sql):
        return subprocess.run([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                               "--format", "csv", "-c", sql],
                              capture_output=True, text=True, timeout=120)

    def test_files_and_external_tables(self):
        queries = [
            f"SELECT g, count(*), sum(i), min(s) FROM read_csv('{self.data}/*.csv') "
            "GROUP BY g ORDER BY g",
            f"SELECT g, count(*), sum(i) FROM read_json('{self.data}/*.jsonl') "
            "GROUP BY g ORDER BY g",
            f"SELECT g, count(*), sum(i), max(s) FROM read_parquet('{self.data}/*.parquet') "
            "GROUP BY g ORDER BY g",
        ]
        for sql in queries:
            expected = run("--format", "csv", "-c", sql)
            self.assertEqual(expected.returncode, 0, expected.stderr)
            result = self.cluster(sql)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout, expected.stdout, sql)
            plan = self.cluster("EXPLAIN " + sql)
            self.assertIn("instances on 127.0.0.1:", plan.stdout, sql)

        result = self.cluster(f"CREATE EXTERNAL TABLE parts STORED AS CSV LOCATION '{self.data}'")
        self.assertEqual(result.returncode, 0, result.stderr)
        result = self.cluster("SELECT count(*), sum(i) FROM parts")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["count,sum", "3000,7498500"])


class AdmissionTest(unittest.TestCase):
    """A coordinator with few slots queues a second query behind a running
    one, and refuses it with 53000 once it has waited too long."""

    COORDINATOR_FLAGS = ["--slots-per-thread", "1"]
    EXECUTOR_FLAGS = []
    WAITED_FOR = "executor slots"

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="basalt-admission-")
        os.makedirs(os.path.join(self.dir, "nodes"))
        self.procs = []
        self.port = free_port()
        rpc = free_port()
        self.spawn("coordinator", "--roles", "statestore,catalog,coordinator", "--rpc-port",
                   str(rpc), "--port", str(self.port), "--threads", "1",
                   "--admission-timeout-ms", "500", *self.COORDINATOR_FLAGS)
        self.spawn("executor-1", "--roles", "executor", "--rpc-port", "0",
                   "--statestore", f"127.0.0.1:{rpc}", "--threads", "1", *self.EXECUTOR_FLAGS)
        wait_for(lambda: status_rows(self.dir)[0] == 0, 20, "both nodes to be live")

    def tearDown(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def spawn(self, label, *args):
        with open(os.path.join(self.dir, "nodes", label + ".log"), "a") as log:
            self.procs.append(subprocess.Popen(
                [BASALT_BIN, "server", "--node-file",
                 os.path.join(self.dir, "nodes", label + ".node"), *args],
                stdout=log, stderr=subprocess.STDOUT))
        wait_for(lambda: os.path.exists(os.path.join(self.dir, "nodes", label + ".node")), 20,
                 f"{label} to listen")

    def query(self, sql):
        return subprocess.run([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                               "--format", "csv", "-c", sql],
                              capture_output=True, text=True, timeout=120)

    def test_a_second_query_waits_then_is_refused(self):
        running = subprocess.Popen([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                                    "-c", LONG_JOIN], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        self.assertIsNone(running.poll(), "the long query ended too soon")
        started = time.monotonic()
        result = self.query(GROUP_BY)
        waited = time.monotonic() - started
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("53000", result.stderr)
        self.assertIn("waited 500 ms", result.stderr)
        self.assertIn(self.WAITED_FOR, result.stderr)
        self.assertGreaterEqual(waited, 0.5)
        out, err = running.communicate(timeout=120)
        self.assertEqual(running.returncode, 0, err)
        # The slots are free again.
        result = self.query(GROUP_BY)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), GROUP_BY_ROWS)


class MemoryAdmissionTest(AdmissionTest):
    """Slots to spare, but the executor offers 64 MiB and each query reserves
    40 MiB on it: the second query waits for memory, then is refused."""

    COORDINATOR_FLAGS = ["--query-memory", "40M"]
    EXECUTOR_FLAGS = ["--memory", "64M"]
    WAITED_FOR = "40.0 MiB of memory on each executor (40.0 MiB of 64.0 MiB reserved)"

    def test_the_reservation_is_each_executors_limit(self):
        many_groups = ("SELECT count(*) FROM (SELECT i FROM range(0, 3000000) r(i) GROUP BY i) g")
        for sql in (many_groups, "SET mem_limit = '1GB'; " + many_groups):
            result = self.query(sql)
            self.assertNotEqual(result.returncode, 0, result.stdout)
            self.assertIn("53200", result.stderr)
            self.assertIn("limit of 40.0 MiB", result.stderr)
        # A lower session limit applies.
        result = self.query("SET mem_limit = '1MB'; SELECT count(*) FROM (SELECT i FROM "
                            "range(0, 300000) r(i) GROUP BY i) g")
        self.assertIn("limit of 1.0 MiB", result.stderr)

    def test_bad_sizes_are_refused(self):
        result = run("server", "--roles", "executor", "--statestore", "127.0.0.1:1",
                     "--memory", "lots")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--memory", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
