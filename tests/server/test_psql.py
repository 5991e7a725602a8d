"""`basalt server` tested as a process: the real psql client, and raw sockets for
the protocol corners psql does not reach (type OIDs, bad lengths, clients that
vanish mid-message; the extended protocol is in test_extended_protocol.py).

Run by ctest with BASALT_BIN set; needs psql from postgresql-client
(scripts/setup.sh) and fails, rather than skips, without it.
"""

import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest

BASALT_BIN = os.environ.get("BASALT_BIN", "build/basalt")
PSQL = shutil.which("psql")
STARTUP_TIMEOUT = 20
PROTOCOL_3_0 = 196608


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RawClient:
    """A minimal PostgreSQL v3 client over a socket."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""

    def close(self):
        self.sock.close()

    def send_startup(self, params=None):
        params = params or {"user": "basalt", "database": "basalt"}
        body = struct.pack("!i", PROTOCOL_3_0)
        for name, value in params.items():
            body += name.encode() + b"\0" + value.encode() + b"\0"
        body += b"\0"
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)

    def send(self, kind, body=b""):
        self.sock.sendall(kind + struct.pack("!i", len(body) + 4) + body)

    def _read_exact(self, n):
        while len(self.buffer) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("server closed the connection")
            self.buffer += data
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def read_byte(self):
        return self._read_exact(1)

    def read_message(self):
        kind = self._read_exact(1)
        (length,) = struct.unpack("!i", self._read_exact(4))
        return kind, self._read_exact(length - 4)

    def read_until_ready(self):
        """Messages up to and including ReadyForQuery."""
        messages = []
        while True:
            kind, body = self.read_message()
            messages.append((kind, body))
            if kind == b"Z":
                return messages

    def connect(self):
        self.send_startup()
        return self.read_until_ready()

    def query(self, sql):
        self.send(b"Q", sql.encode() + b"\0")
        return self.read_until_ready()


def error_fields(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode()
    return fields


def row_description(body):
    (count,) = struct.unpack("!h", body[:2])
    pos, columns = 2, []
    for _ in range(count):
        end = body.index(b"\0", pos)
        name = body[pos:end].decode()
        table, attnum, oid, size, typmod, fmt = struct.unpack("!ihihih", body[end + 1:end + 19])
        columns.append((name, oid, size, typmod, fmt))
        pos = end + 19
    return columns


def data_row(body):
    (count,) = struct.unpack("!h", body[:2])
    pos, values = 2, []
    for _ in range(count):
        (length,) = struct.unpack("!i", body[pos:pos + 4])
        pos += 4
        if length < 0:
            values.append(None)
        else:
            values.append(body[pos:pos + length].decode())
            pos += length
    return values


class BasaltServerTestCase(unittest.TestCase):
    """Starts `basalt server` on a free loopback port for each test and stops it
    by pid with SIGTERM, checking that it exits 0 (shared by the client tests)."""

    # More `basalt server` flags, for subclasses (e.g. a larger --max-connections).
    SERVER_ARGS = ()

    def setUp(self):
        self.port = free_port()
        # A file, not a pipe: a pipe nobody reads would block the server once full.
        self.log = tempfile.TemporaryFile()
        self.server = subprocess.Popen(
            [BASALT_BIN, "server", "--port", str(self.port), "--listen", "127.0.0.1",
             "--threads", "2", *self.SERVER_ARGS],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            self.assertIsNone(self.server.poll(), "server exited during startup")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                self.assertLess(time.monotonic(), deadline, "server did not start listening")
                time.sleep(0.05)

    def read_log(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def tearDown(self):
        if not hasattr(self, "server"):
            return
        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
            self.fail("server did not stop on SIGTERM")
        self.server_log = self.read_log()
        self.log.close()
        self.assertEqual(self.server.returncode, 0, self.server_log)
        self.assertIn("stopped", self.server_log)


class ServerTest(BasaltServerTestCase):
    def setUp(self):
        self.assertIsNotNone(PSQL, "psql not found: install postgresql-client (scripts/setup.sh)")
        super().setUp()

    def psql(self, *args, expect_rc=0):
        command = [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "basalt", "-d", "basalt",
                   "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        self.assertEqual(result.returncode, expect_rc,
                         f"psql {args}: stdout={result.stdout!r} stderr={result.stderr!r}\n"
                         f"server log so far:\n{self.read_log()}")
        return result

    # psql

    def test_create_insert_select(self):
        self.assertEqual(self.psql("-c", "CREATE TABLE t (id INTEGER, price DECIMAL(10,2), "
                                   "day DATE, name VARCHAR, flag BOOLEAN)").stdout,
                         "CREATE TABLE\n")
        self.assertEqual(self.psql("-c", "INSERT INTO t VALUES "
                                   "(1, 12.50, DATE '2024-02-29', 'héllo, world', true), "
                                   "(2, NULL, NULL, NULL, false), "
                                   "(3, -0.01, DATE '1999-12-31', '', NULL)").stdout,
                         "INSERT 0 3\n")
        self.assertEqual(self.psql("-c", "SELECT * FROM t ORDER BY id").stdout,
                         "1|12.50|2024-02-29|héllo, world|t\n"
                         "2||||f\n"
                         "3|-0.01|1999-12-31||\n")
        self.assertEqual(self.psql("-c", "SELECT count(*), sum(price) FROM t").stdout,
                         "3|12.49\n")

    def test_multi_statement_command(self):
        result = self.psql("-c", "CREATE TABLE m (x INTEGER); INSERT INTO m VALUES (1), (2); "
                           "SELECT sum(x) FROM m; SELECT 'done' AS s")
        self.assertEqual(result.stdout, "CREATE TABLE\nINSERT 0 2\n3\ndone\n")

    def test_syntax_error(self):
        result = self.psql("-v", "VERBOSITY=verbose", "-c", "SELEC 1", expect_rc=1)
        self.assertIn('ERROR:  42601: syntax error at or near "SELEC"', result.stderr)
        result = self.psql("-c", "SELECT 1 FROM nosuch_table", expect_rc=1)
        self.assertIn("ERROR:  ", result.stderr)
        self.assertIn("nosuch_table", result.stderr)
        self.assertIn("^", result.stderr)  # psql drew the position it was sent

    def test_abrupt_disconnect_does_not_stop_the_server(self):
        half = RawClient(self.port)
        half.sock.sendall(struct.pack("!i", 40) + struct.pack("!i", PROTOCOL_3_0) + b"user\0ba")
        half.close()
        mid_query = RawClient(self.port)
        mid_query.connect()
        mid_query.sock.sendall(b"Q" + struct.pack("!i", 100) + b"SELECT")
        mid_query.close()
        self.assertEqual(self.psql("-c", "SELECT 42").stdout, "42\n")

    # raw protocol

    def test_startup_parameters_and_ssl_refusal(self):
        client = RawClient(self.port)
        client.sock.sendall(struct.pack("!ii", 8, 80877103))
        self.assertEqual(client.read_byte(), b"N")
        messages = client.connect()
        self.assertEqual(messages[0], (b"R", struct.pack("!i", 0)))
        params = dict(tuple(body.split(b"\0")[:2]) for kind, body in messages if kind == b"S")
        self.assertEqual(params[b"server_encoding"], b"UTF8")
        self.assertEqual(params[b"DateStyle"], b"ISO, MDY")
        self.assertEqual(params[b"integer_datetimes"], b"on")
        self.assertIn(b"K", [kind for kind, _ in messages])
        self.assertEqual(messages[-1], (b"Z", b"I"))
        client.send(b"X")
        client.close()

    def test_row_description_types(self):
        client = RawClient(self.port)
        client.connect()
        messages = client.query(
            "SELECT true AS b, 1::smallint AS s, 2 AS i, 3::bigint AS l, 1.5::real AS r, "
            "2.5::double AS d, 3.25::decimal(7,2) AS n, 'x' AS v, DATE '2024-01-02' AS dt, "
            "TIMESTAMP '2024-01-02 03:04:05' AS ts, INTERVAL '1 day' AS iv, NULL::integer AS z")
        kinds = [kind for kind, _ in messages]
        self.assertEqual(kinds, [b"T", b"D", b"C", b"Z"])
        columns = row_description(messages[0][1])
        self.assertEqual([(name, oid) for name, oid, *_ in columns],
                         [("b", 16), ("s", 21), ("i", 23), ("l", 20), ("r", 700), ("d", 701),
                          ("n", 1700), ("v", 25), ("dt", 1082), ("ts", 1114), ("iv", 1186),
                          ("z", 23)])
        self.assertEqual(columns[6][3], ((7 << 16) | 2) + 4)
        self.assertEqual(data_row(messages[1][1]),
                         ["t", "1", "2", "3", "1.5", "2.5", "3.25", "x", "2024-01-02",
                          "2024-01-02 03:04:05", "1 day", None])
        self.assertEqual(messages[2][1], b"SELECT 1\0")
        client.close()

    def test_empty_query_and_error_position(self):
        client = RawClient(self.port)
        client.connect()
        self.assertEqual([kind for kind, _ in client.query("")], [b"I", b"Z"])
        self.assertEqual([kind for kind, _ in client.query("  ;  ")], [b"I", b"Z"])
        messages = client.query("SELECT 'é', nosuch")
        self.assertEqual([kind for kind, _ in messages], [b"E", b"Z"])
        fields = error_fields(messages[0][1])
        self.assertEqual(fields["S"], "ERROR")
        self.assertEqual(fields["V"], "ERROR")
        self.assertEqual(fields["C"], "42703")
        self.assertEqual(fields["P"], "13")  # characters, not bytes: 'é' is two bytes
        # The session goes on after an error.
        self.assertEqual([kind for kind, _ in client.query("SELECT 1")], [b"T", b"D", b"C", b"Z"])
        client.close()

    def test_bad_message_length_closes_with_protocol_violation(self):
        for length in (2, 0x7FFFFFFF):
            client = RawClient(self.port)
            client.connect()
            client.sock.sendall(b"Q" + struct.pack("!i", length))
            kind, body = client.read_message()
            self.assertEqual(kind, b"E")
            self.assertEqual(error_fields(body)["C"], "08P01")
            with self.assertRaises(EOFError):
                client.read_message()
            client.close()
        self.assertEqual(self.psql("-c", "SELECT 1").stdout, "1\n")

    def test_sigterm_with_idle_client_connected(self):
        client = RawClient(self.port)
        client.connect()
        self.addCleanup(client.close)  # runs after tearDown
        # tearDown stops the server while this session is open; it must still exit 0.


if __name__ == "__main__":
    unittest.main(verbosity=2)
