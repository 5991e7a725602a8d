#!/usr/bin/env python3
"""A cluster of real `basalt server` processes on 127.0.0.1: `basalt cluster
start/status/stop`, failure detection after kill -9, the statestore going away
and coming back, and bad role arguments. Every process started here is
stopped here, by pid."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cluster_util import BASALT_BIN, free_port, pid_alive, run, status_rows, wait_for  # noqa: E402


class LocalClusterTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="basalt-cluster-")
        self.port = free_port()
        self.pids = []

    def tearDown(self):
        run("cluster", "stop", "--dir", self.dir)
        for pid in self.pids:
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, executors):
        result = run("cluster", "start", "--dir", self.dir, "--executors", str(executors),
                     "--port", str(self.port), "--threads", "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"--port {self.port}", result.stdout)
        code, rows = status_rows(self.dir)
        self.pids = [pid for pid, _ in rows.values()]
        return code, rows

    def test_start_status_query_stop(self):
        code, rows = self.start(3)
        self.assertEqual(code, 0)
        self.assertEqual(sorted(rows), ["coordinator", "executor-1", "executor-2", "executor-3"])
        for label, (pid, health) in rows.items():
            self.assertEqual(health, "live", label)
            self.assertTrue(pid_alive(pid))
        # Clients reach the coordinator with the PostgreSQL protocol.
        query = subprocess.run([BASALT_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                                "--format", "csv", "-c", "SELECT 40 + 2 AS answer"],
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(query.returncode, 0, query.stderr)
        self.assertEqual(query.stdout.split(), ["answer", "42"])
        # A second start on a running cluster refuses.
        again = run("cluster", "start", "--dir", self.dir, "--executors", "1")
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("already running", again.stderr)

        stop = run("cluster", "stop", "--dir", self.dir)
        self.assertEqual(stop.returncode, 0, stop.stderr)
        for pid in self.pids:
            self.assertFalse(pid_alive(pid), f"pid {pid} survived cluster stop")
        code, rows = status_rows(self.dir)
        self.assertNotEqual(code, 0)
        self.assertEqual(rows, {})

    def test_killed_executor_is_declared_failed(self):
        self.start(3)
        _, rows = status_rows(self.dir)
        victim = rows["executor-2"][0]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        noticed_at = wait_for(lambda: status_rows(self.dir)[1]["executor-2"][1].startswith("failed"),
                              10, "the statestore to declare executor-2 failed")
        self.assertLess(noticed_at - killed_at, 5)
        code, rows = status_rows(self.dir)
        self.assertNotEqual(code, 0, "status fails while a node is down")
        for label in ["coordinator", "executor-1", "executor-3"]:
            self.assertEqual(rows[label][1], "live", label)


class StatestoreRestartTest(unittest.TestCase):
    """Executors outlive their statestore and register again when it returns."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="basalt-statestore-")
        os.makedirs(os.path.join(self.dir, "nodes"))
        self.rpc_port = free_port()
        self.procs = []

    def tearDown(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def spawn(self, label, *args):
        with open(os.path.join(self.dir, "nodes", label + ".log"), "a") as log:
            proc = subprocess.Popen([BASALT_BIN, "server", "--node-file",
                                     os.path.join(self.dir, "nodes", label + ".node"),
                                     "--heartbeat-interval-ms", "100",
                                     "--failure-timeout-ms", "1000", *args],
                                    stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        wait_for(lambda: os.path.exists(os.path.join(self.dir, "nodes", label + ".node")), 20,
                 f"{label} to listen")
        return proc

    def statestore(self):
        return self.spawn("coordinator", "--roles", "statestore", "--rpc-port", str(self.rpc_port))

    def test_statestore_restart(self):
        statestore = self.statestore()
        for i in (1, 2):
            self.spawn(f"executor-{i}", "--roles", "executor", "--rpc-port", "0",
                       "--statestore", f"127.0.0.1:{self.rpc_port}")
        wait_for(lambda: status_rows(self.dir)[0] == 0, 10, "every node to be live")

        statestore.kill()
        statestore.wait()
        os.remove(os.path.join(self.dir, "nodes", "coordinator.node"))
        time.sleep(1.5)  # longer than the failure timeout
        for proc in self.procs[1:]:
            self.assertIsNone(proc.poll(), "an executor exited without its statestore")
        with open(os.path.join(self.dir, "nodes", "executor-1.log")) as log:
            self.assertIn("lost the statestore", log.read())

        self.statestore()
        wait_for(lambda: status_rows(self.dir)[0] == 0, 10,
                 "the executors to register with the new statestore")
        _, rows = status_rows(self.dir)
        self.assertEqual(sorted(rows), ["coordinator", "executor-1", "executor-2"])

        running = [proc for proc in self.procs if proc.poll() is None]
        self.assertEqual(len(running), 3)
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            self.assertEqual(proc.wait(timeout=10), 0)


class BadArgumentsTest(unittest.TestCase):
    def test_unknown_role(self):
        result = run("server", "--roles", "executor,worker")
        self.assertEqual(result.returncode, 2)
        self.assertIn('unknown role "worker"', result.stderr)

    def test_executor_needs_a_statestore(self):
        result = run("server", "--roles", "executor", "--rpc-port", "0")
        self.assertEqual(result.returncode, 1)
        self.assertIn("--statestore", result.stderr)

    def test_options_from_a_config_file(self):
        with tempfile.TemporaryDirectory() as d:
            config = os.path.join(d, "node.toml")
            with open(config, "w") as f:
                f.write('roles = "executor"\nrpc-port = 0\n')
            result = run("server", "--config", config)
            # The file's roles were read: an executor alone needs a statestore.
            self.assertEqual(result.returncode, 1)
            self.assertIn("--statestore", result.stderr)
            with open(config, "w") as f:
                f.write('roles = "worker"\n')
            result = run("server", "--config", config)
            self.assertEqual(result.returncode, 2)
            self.assertIn('unknown role "worker"', result.stderr)

    def test_cluster_needs_a_dir(self):
        result = run("cluster", "start")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--dir", result.stderr)

    def test_status_of_an_empty_dir(self):
        with tempfile.TemporaryDirectory() as empty:
            result = run("cluster", "status", "--dir", empty)
            self.assertEqual(result.returncode, 1)
            self.assertIn("no nodes", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
