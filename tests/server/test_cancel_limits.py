"""`basalt server`'s connection handling: CancelRequest (psycopg2's
conn.cancel(), psql on SIGINT, raw requests with right and wrong keys),
--max-connections (53300), a client that disconnects while its statement
runs (the statement is cancelled), and the log file under --data-dir.

Run by ctest with BASALT_BIN set and /usr/bin/python3; needs psql
(postgresql-client) and python3-psycopg2 (scripts/setup.sh), and fails,
rather than skips, without them.
"""

import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_psql import PSQL, BasaltServerTestCase, RawClient, data_row, error_fields  # noqa: E402

try:
    import psycopg2
    import psycopg2.extensions
except ImportError as e:  # reported as a failure by the tests that use it
    psycopg2 = None
    IMPORT_ERROR = str(e)

# Runs for hours unless cancelled; a nested-loop join that checks for
# cancellation between batches of pairs.
LONG_QUERY = ("SELECT count(*) FROM range(1000000) a, range(1000000) b "
              "WHERE a.range + b.range = 7")
CANCEL_REQUEST_CODE = 80877102
# How long a cancelled statement may take to end.
CANCEL_DEADLINE = 10


def send_cancel_request(port, process_id, secret_key):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(struct.pack("!iiii", 16, CANCEL_REQUEST_CODE, process_id, secret_key))
        # The server closes the connection without an answer.
        s.settimeout(10)
        assert s.recv(1) == b""


def backend_key(messages):
    for kind, body in messages:
        if kind == b"K":
            return struct.unpack("!ii", body)
    raise AssertionError("no BackendKeyData")


class ServerTestBase(BasaltServerTestCase):
    def setUp(self):
        self.assertIsNotNone(PSQL, "psql not found: install postgresql-client (scripts/setup.sh)")
        self.assertIsNotNone(psycopg2, "cannot import psycopg2: install python3-psycopg2 "
                             f"(scripts/setup.sh) and run with /usr/bin/python3"
                             f" ({IMPORT_ERROR if psycopg2 is None else ''})")
        super().setUp()
        # setUp's probe connection: let its session end, so it counts nowhere.
        self.wait_for_log("disconnected")

    def wait_for_log(self, text, count=1, timeout=CANCEL_DEADLINE):
        deadline = time.monotonic() + timeout
        while self.read_log().count(text) < count:
            self.assertLess(time.monotonic(), deadline,
                            f"{text!r} not logged {count} times:\n{self.read_log()}")
            time.sleep(0.05)

    def connect(self, **kwargs):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="basalt", dbname="basalt",
                                connect_timeout=10, **kwargs)
        self.addCleanup(conn.close)
        return conn

    def psql(self, *args, expect_rc=0):
        command = [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "basalt", "-d", "basalt",
                   "-X", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        self.assertEqual(result.returncode, expect_rc,
                         f"psql {args}: stdout={result.stdout!r} stderr={result.stderr!r}\n"
                         f"server log so far:\n{self.read_log()}")
        return result

    def server_cpu_seconds(self):
        with open(f"/proc/{self.server.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def assert_server_idle(self):
        """The server uses (almost) no CPU: no statement is left running."""
        before = self.server_cpu_seconds()
        time.sleep(1.0)
        used = self.server_cpu_seconds() - before
        self.assertLess(used, 0.3, f"server used {used:.2f} s of CPU in 1 s while idle")


class CancelTest(ServerTestBase):
    def run_in_thread(self, function):
        outcome = {}

        def run():
            try:
                outcome["result"] = function()
            except Exception as e:  # noqa: BLE001 - handed to the test
                outcome["error"] = e
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread, outcome

    def test_psycopg2_cancel(self):
        for autocommit in (True, False):
            conn = self.connect()
            conn.autocommit = autocommit
            cur = conn.cursor()
            thread, outcome = self.run_in_thread(lambda: cur.execute(LONG_QUERY))
            time.sleep(1.5)  # the statement is running by now
            self.assertTrue(thread.is_alive(), outcome)
            started = time.monotonic()
            conn.cancel()
            thread.join(CANCEL_DEADLINE)
            self.assertFalse(thread.is_alive(), "the statement was not cancelled")
            self.assertLess(time.monotonic() - started, 5)
            error = outcome.get("error")
            self.assertIsInstance(error, psycopg2.extensions.QueryCanceledError, outcome)
            self.assertEqual(error.pgcode, "57014")
            self.assertIn("canceling statement due to user request", str(error))
            if not autocommit:
                conn.rollback()
            # The connection still works, and a later statement is not cancelled.
            cur.execute("SELECT count(*) FROM range(1000) a, range(1000) b")
            self.assertEqual(cur.fetchone(), (1000000,))
        self.assert_server_idle()

    def test_psql_sigint_cancels(self):
        psql = subprocess.Popen(
            [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "basalt", "-d", "basalt", "-X",
             "-w", "-c", LONG_QUERY],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        self.addCleanup(lambda: psql.poll() is None and psql.kill())
        self.wait_for_log("connected as user", count=1)
        time.sleep(1.0)
        psql.send_signal(signal.SIGINT)
        try:
            stdout, stderr = psql.communicate(timeout=CANCEL_DEADLINE)
        except subprocess.TimeoutExpired:
            psql.kill()
            self.fail(f"psql did not stop after SIGINT:\n{self.read_log()}")
        self.assertEqual(psql.returncode, 1, stderr)
        self.assertIn("ERROR:  canceling statement due to user request", stderr)
        self.assertIn("cancel request: cancelling the running statement", self.read_log())

    def test_raw_cancel_requests_wrong_key_idle_and_right_key(self):
        client = RawClient(self.port)
        process_id, secret_key = backend_key(client.connect())
        # A cancel while idle does nothing, not even to the next statement.
        send_cancel_request(self.port, process_id, secret_key)
        time.sleep(0.3)
        messages = client.query("SELECT count(*) FROM range(2000) a, range(2000) b")
        self.assertEqual(data_row(messages[1][1]), ["4000000"])

        client.send(b"Q", LONG_QUERY.encode() + b"\0")
        time.sleep(0.5)
        # Wrong keys and unknown sessions are ignored, silently.
        send_cancel_request(self.port, process_id, secret_key ^ 1)
        send_cancel_request(self.port, process_id + 1000, secret_key)
        client.sock.settimeout(1.5)
        with self.assertRaises(socket.timeout):
            client.read_message()  # still running
        client.sock.settimeout(CANCEL_DEADLINE)
        send_cancel_request(self.port, process_id, secret_key)
        messages = client.read_until_ready()
        self.assertEqual([kind for kind, _ in messages], [b"E", b"Z"])
        fields = error_fields(messages[0][1])
        self.assertEqual((fields["S"], fields["C"]), ("ERROR", "57014"))
        self.assertEqual(fields["M"], "canceling statement due to user request")
        self.assertEqual(data_row(client.query("SELECT 1")[1][1]), ["1"])
        client.close()
        self.assertIn("ignored: no such session or wrong key", self.read_log())

    def test_malformed_cancel_request(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(struct.pack("!iii", 12, CANCEL_REQUEST_CODE, 1))
            self.assertEqual(s.recv(1), b"")
        self.assertEqual(self.psql("-c", "SELECT 1").stdout, "1\n")


class DisconnectTest(ServerTestBase):
    def test_client_disconnecting_mid_query_cancels_it(self):
        for _ in range(2):
            client = RawClient(self.port)
            client.connect()
            client.send(b"Q", LONG_QUERY.encode() + b"\0")
            time.sleep(0.5)
            client.close()
        # The monitor notices the hang-ups and cancels both statements.
        self.wait_for_log("client disconnected, cancelling its statement", count=2)
        self.wait_for_log("ERROR 57014", count=2)
        self.assert_server_idle()
        started = time.monotonic()
        self.assertEqual(self.psql("-c", "SELECT 1").stdout, "1\n")
        self.assertLess(time.monotonic() - started, 5)

    def test_client_gone_right_after_sending_query(self):
        # The hang-up may be seen before the statement starts: it is cancelled all the same.
        for _ in range(3):
            client = RawClient(self.port)
            client.connect()
            client.send(b"Q", LONG_QUERY.encode() + b"\0")
            client.close()
        self.wait_for_log("ERROR 57014", count=3)
        self.assert_server_idle()

    def test_client_gone_while_rows_are_sent_skips_the_later_statements(self):
        # The client leaves while the first statement's rows are being sent:
        # the statements after it in the same Query must not run. CREATE TABLE
        # is DDL, which a cancel does not stop, so only the session can.
        client = RawClient(self.port)
        client.connect()
        client.send(b"Q", b"SELECT * FROM range(0, 3000000); CREATE TABLE after_gone (x INTEGER)\0")
        self.assertEqual(client.read_message()[0], b"T")  # the SELECT has run
        # A reset rather than a close, so that the server's next send fails at once.
        client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
        self.wait_for_log("send failed")
        self.wait_for_log("disconnected", count=2)  # setUp's probe, then this client
        result = self.psql("-c", "SELECT * FROM after_gone", expect_rc=1)
        self.assertIn('relation "after_gone" does not exist', result.stderr)


class ConnectionLimitTest(ServerTestBase):
    SERVER_ARGS = ("--max-connections", "3")

    def test_too_many_clients(self):
        clients = []
        for _ in range(3):
            client = RawClient(self.port)
            clients.append((client, backend_key(client.connect())))

        # Raw: the error comes after the startup packet, as in PostgreSQL.
        extra = RawClient(self.port)
        extra.send_startup()
        kind, body = extra.read_message()
        self.assertEqual(kind, b"E")
        fields = error_fields(body)
        self.assertEqual((fields["S"], fields["C"], fields["M"]),
                         ("FATAL", "53300", "sorry, too many clients already"))
        with self.assertRaises(EOFError):
            extra.read_message()
        extra.close()
        # psql (which first asks for SSL) and psycopg2.
        result = self.psql("-c", "SELECT 1", expect_rc=2)
        self.assertIn("FATAL:  sorry, too many clients already", result.stderr)
        with self.assertRaises(psycopg2.OperationalError) as raised:
            self.connect()
        self.assertIn("sorry, too many clients already", str(raised.exception))

        # The connected clients keep working, and can still be cancelled
        # (a CancelRequest is served even when the server is full).
        for client, _ in clients:
            self.assertEqual(data_row(client.query("SELECT 2")[1][1]), ["2"])
        client, (process_id, secret_key) = clients[0]
        client.send(b"Q", LONG_QUERY.encode() + b"\0")
        time.sleep(0.5)
        send_cancel_request(self.port, process_id, secret_key)
        messages = client.read_until_ready()
        self.assertEqual(error_fields(messages[0][1])["C"], "57014")

        # Once one leaves, a new client gets in.
        clients[1][0].send(b"X")
        clients[1][0].close()
        deadline = time.monotonic() + 10
        while True:
            result = subprocess.run(
                [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "basalt", "-X", "-A", "-t",
                 "-w", "-c", "SELECT 3"], capture_output=True, text=True, timeout=60)
            if result.returncode == 0:
                break
            self.assertIn("too many clients", result.stderr)
            self.assertLess(time.monotonic() - deadline, 0, "no room after a client left")
            time.sleep(0.1)
        self.assertEqual(result.stdout, "3\n")
        for client, _ in (clients[0], clients[2]):
            client.close()


    def test_silent_client_beyond_the_limit_is_dropped(self):
        clients = [RawClient(self.port) for _ in range(3)]
        for client in clients:
            client.connect()
        silent = socket.create_connection(("127.0.0.1", self.port), timeout=15)
        started = time.monotonic()
        self.assertEqual(silent.recv(1), b"")  # closed after the 5 s startup timeout
        self.assertLess(time.monotonic() - started, 12)
        silent.close()
        self.assertIn("timed out", self.read_log())
        for client in clients:
            self.assertEqual(data_row(client.query("SELECT 4")[1][1]), ["4"])
            client.close()


class LogFileTest(ServerTestBase):
    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="basalt-data-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        self.SERVER_ARGS = ("--data-dir", self.data_dir)
        super().setUp()
        # Runs after tearDown has stopped the server (cleanups run last, newest first).
        self.addCleanup(self.check_stop_logged)

    def check_stop_logged(self):
        with open(os.path.join(self.data_dir, "log", "basalt.log")) as f:
            self.assertIn("stopped", f.read())

    def test_log_file_gets_the_connection_lines(self):
        self.assertEqual(self.psql("-c", "SELECT 1").stdout, "1\n")
        self.psql("-c", "SELECT nosuch", expect_rc=1)
        path = os.path.join(self.data_dir, "log", "basalt.log")
        self.wait_for_log("disconnected", count=3)
        with open(path) as f:
            text = f.read()
        self.assertIn("listening on 127.0.0.1:", text)
        self.assertIn('connected as user "basalt", database "basalt"', text)
        self.assertIn(": disconnected", text)
        self.assertIn("ERROR 42703", text)
        # Every line has a timestamp.
        for line in text.splitlines():
            self.assertRegex(line, r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC ")


if __name__ == "__main__":
    unittest.main(verbosity=2)
