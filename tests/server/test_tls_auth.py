"""`basalt server` with TLS (--tls-cert / --tls-key) and SCRAM-SHA-256 password
authentication (--users-file), tested with psql, psycopg2 and a raw-socket
client that speaks SCRAM itself (to check the error fields and the server's
signature). The certificate is self-signed, made with the `openssl` command in
a private temporary directory for each test class.

Run by ctest with BASALT_BIN set and /usr/bin/python3; needs psql
(postgresql-client), python3-psycopg2 and openssl (scripts/setup.sh), and
fails, rather than skips, without them.
"""

import base64
import hashlib
import hmac
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_psql import (BASALT_BIN, PSQL, BasaltServerTestCase, RawClient,  # noqa: E402
                       data_row, error_fields, free_port)

try:
    import psycopg2
except ImportError as e:  # reported as a failure by the tests that use it
    psycopg2 = None
    IMPORT_ERROR = str(e)

OPENSSL = shutil.which("openssl")
SSL_REQUEST = struct.pack("!ii", 8, 80877103)
ALICE_PASSWORD = "alice's secret: with a colon"
BOB_PASSWORD = "bob-pw-9"
BOB_SALT = b"0123456789abcdef"


def scram_keys(password, salt, iterations):
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    return client_key, hashlib.sha256(client_key).digest(), server_key


def scram_verifier(password, salt, iterations=4096):
    """The PostgreSQL verifier text (pg_authid.rolpassword) of a password."""
    _, stored_key, server_key = scram_keys(password, salt, iterations)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def make_certificate(directory):
    """A self-signed certificate and key for CN=localhost, in PEM files."""
    cert = os.path.join(directory, "server.crt")
    key = os.path.join(directory, "server.key")
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def scram_login(client, user, password, first_override=None):
    """Runs the SCRAM exchange as libpq does; returns the messages after the
    client-final-message (up to ReadyForQuery or an ErrorResponse) and whether
    the server's signature was right."""
    client.send_startup({"user": user, "database": "basalt"})
    kind, body = client.read_message()
    if kind == b"E":
        return [(kind, body)], False
    assert kind == b"R" and struct.unpack("!i", body[:4])[0] == 10, (kind, body)
    assert body[4:] == b"SCRAM-SHA-256\0\0", body
    nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = f"n=,r={nonce}"
    first = first_override if first_override is not None else "n,," + first_bare
    client.send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first.encode())
    kind, body = client.read_message()
    if kind == b"E":
        return [(kind, body)], False
    assert kind == b"R" and struct.unpack("!i", body[:4])[0] == 11, (kind, body)
    server_first = body[4:].decode()
    attributes = dict(part.split("=", 1) for part in server_first.split(","))
    assert attributes["r"].startswith(nonce) and len(attributes["r"]) > len(nonce)
    client_key, stored_key, server_key = scram_keys(
        password, base64.b64decode(attributes["s"]), int(attributes["i"]))
    without_proof = f"c=biws,r={attributes['r']}"
    auth_message = f"{first_bare},{server_first},{without_proof}".encode()
    signature = hmac.new(stored_key, auth_message, "sha256").digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    client.send(b"p", f"{without_proof},p={base64.b64encode(proof).decode()}".encode())
    messages = []
    signature_ok = False
    while True:
        kind, body = client.read_message()
        messages.append((kind, body))
        if kind == b"R" and struct.unpack("!i", body[:4])[0] == 12:
            expected = hmac.new(server_key, auth_message, "sha256").digest()
            signature_ok = body[4:] == b"v=" + base64.b64encode(expected)
        if kind in (b"Z", b"E"):
            return messages, signature_ok


class ClientToolsMixin:
    def psql(self, conninfo, *args, password=None, expect_rc=0):
        self.assertIsNotNone(PSQL, "psql not found: install postgresql-client (scripts/setup.sh)")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["PGCONNECT_TIMEOUT"] = "10"
        if password is not None:
            env["PGPASSWORD"] = password
        command = [PSQL, f"host=127.0.0.1 port={self.port} dbname=basalt {conninfo}",
                   "-X", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(result.returncode, expect_rc,
                         f"psql {conninfo} {args}: stdout={result.stdout!r} "
                         f"stderr={result.stderr!r}\nserver log so far:\n{self.read_log()}")
        return result

    def psycopg2_connect(self, **kwargs):
        self.assertIsNotNone(psycopg2, "cannot import psycopg2: install python3-psycopg2 "
                             f"(scripts/setup.sh) and run with /usr/bin/python3"
                             f" ({IMPORT_ERROR if psycopg2 is None else ''})")
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, dbname="basalt",
                                connect_timeout=10, **kwargs)
        self.addCleanup(conn.close)
        return conn


class TlsTest(ClientToolsMixin, BasaltServerTestCase):
    @classmethod
    def setUpClass(cls):
        if OPENSSL is None:
            raise AssertionError("openssl not found: install openssl (scripts/setup.sh)")
        cls.tempdir = tempfile.mkdtemp(prefix="basalt-tls-")
        cls.cert, cls.key = make_certificate(cls.tempdir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tempdir, ignore_errors=True)

    def setUp(self):
        self.SERVER_ARGS = ("--tls-cert", self.cert, "--tls-key", self.key)
        super().setUp()

    def test_psql_sslmode_require(self):
        result = self.psql("user=basalt sslmode=require", "-c", r"\conninfo", "-c", "SELECT 1")
        self.assertIn("SSL connection (protocol: TLSv1.", result.stdout)
        self.assertTrue(result.stdout.endswith("\n1\n"), result.stdout)
        self.assertIn("TLSv1.", self.read_log())  # the server logs the TLS version too

    def test_psycopg2_sslmode_require(self):
        conn = self.psycopg2_connect(user="basalt", sslmode="require")
        self.assertTrue(conn.info.ssl_in_use)
        self.assertIn(conn.info.ssl_attribute("protocol"), ("TLSv1.2", "TLSv1.3"))
        cur = conn.cursor()
        cur.execute("SELECT 1")
        self.assertEqual(cur.fetchone(), (1,))
        # A larger result, so that several TLS records carry it.
        cur.execute("SELECT count(*), sum(range) FROM range(100000)")
        self.assertEqual(cur.fetchone(), (100000, 4999950000))
        cur.execute("SELECT range FROM range(50000)")
        self.assertEqual(len(cur.fetchall()), 50000)

    def test_sslmode_disable_still_works(self):
        result = self.psql("user=basalt sslmode=disable", "-c", r"\conninfo")
        self.assertNotIn("SSL connection", result.stdout)

    def test_raw_ssl_request_then_protocol_inside_tls(self):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        raw.sendall(SSL_REQUEST)
        self.assertEqual(raw.recv(1), b"S")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        client = RawClient.__new__(RawClient)
        client.sock = context.wrap_socket(raw)
        client.buffer = b""
        messages = client.connect()
        self.assertEqual(messages[-1], (b"Z", b"I"))
        messages = client.query("SELECT 40 + 2")
        self.assertEqual(data_row(messages[1][1]), ["42"])
        # A second SSLRequest inside TLS is not a protocol the server speaks.
        client.send(b"X")
        client.close()

    def test_unencrypted_data_after_ssl_request_is_refused(self):
        client = RawClient(self.port)
        startup = struct.pack("!i", 196608) + b"user\0basalt\0\0"
        client.sock.sendall(SSL_REQUEST + struct.pack("!i", len(startup) + 4) + startup)
        kind, body = client.read_message()
        self.assertEqual(kind, b"E")
        self.assertEqual(error_fields(body)["C"], "08P01")
        self.assertIn("unencrypted data after SSL request", error_fields(body)["M"])
        client.close()

    def test_broken_handshake_ends_only_that_client(self):
        for garbage in (b"", b"\x16\x03\x01\x00\x05hello", b"GET / HTTP/1.0\r\n\r\n" * 10):
            raw = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            raw.sendall(SSL_REQUEST)
            self.assertEqual(raw.recv(1), b"S")
            raw.sendall(garbage)
            raw.shutdown(socket.SHUT_WR)
            try:
                while raw.recv(4096):
                    pass
            except OSError:
                pass
            raw.close()
        self.assertIn("TLS handshake failed", self.read_log())
        self.assertEqual(self.psql("user=basalt sslmode=require", "-c", "SELECT 7").stdout, "7\n")


class NoTlsTest(ClientToolsMixin, BasaltServerTestCase):
    def test_sslmode_require_fails_clearly(self):
        result = self.psql("user=basalt sslmode=require", "-c", "SELECT 1", expect_rc=2)
        self.assertIn("server does not support SSL, but SSL was required", result.stderr)
        client = RawClient(self.port)
        client.sock.sendall(SSL_REQUEST)
        self.assertEqual(client.read_byte(), b"N")
        client.close()
        with self.assertRaises(psycopg2.OperationalError) as raised:
            self.psycopg2_connect(user="basalt", sslmode="require")
        self.assertIn("server does not support SSL", str(raised.exception))
        # sslmode=prefer falls back to plain text.
        self.assertEqual(self.psql("user=basalt sslmode=prefer", "-c", "SELECT 1").stdout, "1\n")


class AuthTest(ClientToolsMixin, BasaltServerTestCase):
    @classmethod
    def setUpClass(cls):
        if OPENSSL is None:
            raise AssertionError("openssl not found: install openssl (scripts/setup.sh)")
        cls.tempdir = tempfile.mkdtemp(prefix="basalt-auth-")
        cls.cert, cls.key = make_certificate(cls.tempdir)
        cls.users = os.path.join(cls.tempdir, "users")
        with open(cls.users, "w") as f:
            f.write("# test users\n\n")
            f.write(f"alice:{ALICE_PASSWORD}\n")
            f.write(f"bob:{scram_verifier(BOB_PASSWORD, BOB_SALT)}\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tempdir, ignore_errors=True)

    def setUp(self):
        self.SERVER_ARGS = ("--users-file", self.users, "--tls-cert", self.cert,
                            "--tls-key", self.key)
        super().setUp()

    def test_psql_right_and_wrong_passwords(self):
        self.assertEqual(self.psql("user=alice", "-c", "SELECT 1", password=ALICE_PASSWORD).stdout,
                         "1\n")
        # A verifier in the file works the same as a password.
        self.assertEqual(self.psql("user=bob", "-c", "SELECT 2", password=BOB_PASSWORD).stdout,
                         "2\n")
        result = self.psql("user=bob sslmode=require", r"-c", r"\conninfo",
                           password=BOB_PASSWORD)
        self.assertIn("SSL connection", result.stdout)
        for user, password in (("alice", "wrong"), ("bob", ALICE_PASSWORD),
                               ("nobody", "anything")):
            result = self.psql(f"user={user}", "-c", "SELECT 1", password=password, expect_rc=2)
            self.assertIn(f'FATAL:  password authentication failed for user "{user}"',
                          result.stderr)
        result = self.psql("user=alice", "-c", "SELECT 1", expect_rc=2)
        self.assertIn("no password supplied", result.stderr)
        log = self.read_log()
        self.assertIn('password authentication failed for user "nobody" (no such user)', log)
        self.assertNotIn(ALICE_PASSWORD, log)

    def test_psycopg2_right_and_wrong_passwords(self):
        conn = self.psycopg2_connect(user="alice", password=ALICE_PASSWORD)
        cur = conn.cursor()
        cur.execute("SELECT 'ok'")
        self.assertEqual(cur.fetchone(), ("ok",))
        conn = self.psycopg2_connect(user="bob", password=BOB_PASSWORD, sslmode="require")
        self.assertTrue(conn.info.ssl_in_use)
        for user, password in (("alice", "wrong"), ("nobody", "x")):
            with self.assertRaises(psycopg2.OperationalError) as raised:
                self.psycopg2_connect(user=user, password=password)
            self.assertIn(f'password authentication failed for user "{user}"',
                          str(raised.exception))

    def test_raw_scram_exchange_and_error_fields(self):
        client = RawClient(self.port)
        messages, signature_ok = scram_login(client, "alice", ALICE_PASSWORD)
        self.assertTrue(signature_ok, "wrong server signature in AuthenticationSASLFinal")
        kinds = [kind for kind, _ in messages]
        self.assertEqual(kinds[:2], [b"R", b"R"])  # SASLFinal, then AuthenticationOk
        self.assertEqual(messages[1][1], struct.pack("!i", 0))
        self.assertEqual(kinds[-1], b"Z")
        self.assertEqual(data_row(client.query("SELECT 5")[1][1]), ["5"])
        client.close()

        # Wrong password and unknown user: the same error, after the same exchange.
        for user, password in (("alice", "nope"), ("nobody", "nope")):
            client = RawClient(self.port)
            messages, _ = scram_login(client, user, password)
            self.assertEqual([kind for kind, _ in messages], [b"E"])
            fields = error_fields(messages[0][1])
            self.assertEqual((fields["S"], fields["C"]), ("FATAL", "28P01"))
            self.assertEqual(fields["M"], f'password authentication failed for user "{user}"')
            with self.assertRaises(EOFError):
                client.read_message()
            client.close()

    def test_malformed_sasl_messages_are_protocol_violations(self):
        for first in ("p=tls-server-end-point,,n=,r=abc", "n,a=admin,n=,r=abc", "garbage", ""):
            client = RawClient(self.port)
            messages, _ = scram_login(client, "alice", ALICE_PASSWORD, first_override=first)
            self.assertEqual(messages[0][0], b"E", first)
            self.assertEqual(error_fields(messages[0][1])["C"], "08P01", first)
            client.close()
        # Another mechanism, a message that is not a SASL response, a truncated one.
        for kind, body in ((b"p", b"SCRAM-SHA-1\0" + struct.pack("!i", 3) + b"n,,"),
                           (b"Q", b"SELECT 1\0"),
                           (b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", 100) + b"n,,")):
            client = RawClient(self.port)
            client.send_startup({"user": "alice"})
            self.assertEqual(client.read_message()[0], b"R")
            client.send(kind, body)
            reply_kind, reply = client.read_message()
            self.assertEqual(reply_kind, b"E")
            self.assertEqual(error_fields(reply)["C"], "08P01")
            client.close()
        self.assertEqual(self.psql("user=alice", "-c", "SELECT 3", password=ALICE_PASSWORD).stdout,
                         "3\n")


class StartupOptionErrorsTest(unittest.TestCase):
    """Bad TLS and users-file options stop the server at startup with a message."""

    def run_server(self, *args):
        return subprocess.run([BASALT_BIN, "server", "--port", str(free_port()), *args],
                              capture_output=True, text=True, timeout=30)

    def test_bad_options(self):
        with tempfile.TemporaryDirectory(prefix="basalt-opts-") as directory:
            result = self.run_server("--tls-cert", os.path.join(directory, "none.crt"))
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("--tls-key", result.stderr)
            missing = os.path.join(directory, "none")
            result = self.run_server("--tls-cert", missing, "--tls-key", missing)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn("cannot load TLS certificate", result.stderr)
            users = os.path.join(directory, "users")
            for content, message in (("alice\n", "users:1: expected user:password"),
                                     ("# x\nbob:SCRAM-SHA-256$4096:abc\n",
                                      "users:2: invalid SCRAM-SHA-256 verifier"),
                                     ("a:1\na:2\n", 'users:2: user "a" appears twice'),
                                     ("a:\n", "empty password")):
                with open(users, "w") as f:
                    f.write(content)
                result = self.run_server("--users-file", users)
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertIn(message, result.stderr)
            result = self.run_server("--users-file", missing)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn("cannot read users file", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
