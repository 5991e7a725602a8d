"""The basalt shell as a client of `basalt server` (basalt --host): the same
statements run in the shell's own embedded database and on a real server must
print the same bytes, in every format, with the same error reports (SQLSTATE,
LINE and caret) and exit statuses; and a server that is not there is a clear
error with exit status 2.

Run by ctest with BASALT_BIN set (tests/server/CMakeLists.txt):

    BASALT_BIN=build/basalt /usr/bin/python3 tests/server/test_shell_client.py
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "shell"))
from test_psql import BASALT_BIN, BasaltServerTestCase, free_port  # noqa: E402
from test_shell import Terminal  # noqa: E402

TIMEOUT = 60

# Every type the server sends, NULLs, text that needs escaping in each format,
# and numbers whose alignment shows whether the shell typed the column.
SETUP = """
drop table if exists t;
create table t (
  id integer, small smallint, big bigint, price decimal(10,2), ratio double,
  r real, day date, at timestamp, flag boolean, name varchar
);
insert into t values
  (1, 7, 9000000000, 12.50, 0.1, 1.5, date '2024-02-29',
   timestamp '2024-02-29 13:45:00.25', true, 'héllo, "world"'),
  (2, NULL, -1, NULL, -2.5e-10, NULL, NULL, NULL, false, NULL),
  (3, -32768, 0, -0.01, 1e300, -0, date '1999-12-31',
   timestamp '1999-12-31 23:59:59', NULL, ''),
  (10, 1, 42, 99999999.99, 3, 2, date '2000-01-01', timestamp '2000-01-01 00:00:00',
   true, 'two
lines');
"""

QUERIES = [
    "select * from t order by id",
    "select count(*) as n, sum(price) as total, avg(price) as mean, min(day), max(name), "
    "sum(big) from t",
    "select flag, count(*) as n, sum(ratio) from t group by flag order by flag",
    "select id, price * 2 as twice, name || '!' as loud from t where id > 1 order by id desc",
    "select 1 as one, null as nothing, 'a' as a, interval '1 day 02:00:00' as iv",
    "select id from t where id > 100",
]


class ShellClientTest(BasaltServerTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        # A private HOME keeps ~/.basalt_history and ~/.pgpass out of the test.
        self.env = dict(os.environ, HOME=self.tmp.name, TERM="dumb", PGCONNECT_TIMEOUT="10")
        for name in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE", "PGOPTIONS"):
            self.env.pop(name, None)

    def remote_args(self):
        return ["--host", "127.0.0.1", "-p", str(self.port), "--user", "basalt",
                "--dbname", "basalt"]

    def shell(self, *args, input="", remote=True):
        command = [BASALT_BIN, *(self.remote_args() if remote else []), *args]
        return subprocess.run(command, input=input, capture_output=True, text=True,
                              encoding="utf-8", env=self.env, timeout=TIMEOUT)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def assertSameRun(self, *args, input=""):
        """Runs the shell locally and on the server; both must print the same.
        Returns the remote run."""
        local = self.shell(*args, input=input, remote=False)
        remote = self.shell(*args, input=input)
        context = f"args={args!r}\nserver log:\n{self.read_log()}"
        self.assertEqual(remote.stdout, local.stdout, "stdout; " + context)
        self.assertEqual(remote.stderr, local.stderr, "stderr; " + context)
        self.assertEqual(remote.returncode, local.returncode, "exit status; " + context)
        return remote

    def test_results_print_the_same_in_every_format(self):
        for fmt in ("table", "csv", "json"):
            with self.subTest(format=fmt):
                # The setup's command tags are compared too (table format).
                args = ["--format", fmt, "-c", SETUP]
                for query in QUERIES:
                    args += ["-c", query]
                result = self.assertSameRun(*args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertNotEqual(result.stdout, "")
        # Spot checks that the comparison compared something meaningful.
        result = self.shell("-c", "select id, price, name from t order by id limit 2")
        self.assertEqual(result.stdout,
                         " id | price |      name\n"
                         "----+-------+----------------\n"
                         "  1 | 12.50 | héllo, \"world\"\n"
                         "  2 |  NULL | NULL\n"
                         "(2 rows)\n\n")
        result = self.shell("--format", "json", "-c",
                            "select id, price, ratio, flag, day from t where id = 1")
        self.assertEqual(result.stdout,
                         '[{"id":1,"price":12.50,"ratio":0.1,"flag":true,"day":"2024-02-29"}]\n')

    def test_scripts_stdin_and_timer(self):
        script = self.write("load.sql", SETUP + "select count(*) from t;\n"
                            "select name from t where id = 1;\n")
        self.assertSameRun("-f", script)
        self.assertSameRun("-", input=SETUP + "select sum(id) from t;\n")
        remote = self.shell("--timer", "-c", "select 1; select 2")
        self.assertEqual(remote.returncode, 0, remote.stderr)
        self.assertRegex(remote.stderr, r"^Time: \d+\.\d{3} ms\nTime: \d+\.\d{3} ms\n$")
        # Warnings (notices) are printed the same, before the command's tag.
        result = self.assertSameRun("-c", "begin; begin; commit; commit;")
        self.assertEqual(result.stdout, "BEGIN\nBEGIN\nCOMMIT\nCOMMIT\n")
        self.assertEqual(result.stderr, "WARNING:  there is already a transaction in progress\n"
                                        "WARNING:  there is no transaction in progress\n")
        # Meta commands are the shell's own and work the same.
        self.assertSameRun("-c", ".mode csv\nselect 1 as x;\n.mode\n")

    def test_errors_with_caret_and_exit_status(self):
        statement = "select 1;\nselect id,\n  name FORM t;\nselect 2;\n"
        result = self.assertSameRun("-c", SETUP, "-c", statement)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout.count("(1 row)"), 1, "stops at the first failure")
        lines = result.stderr.splitlines()
        # "FORM" is taken as an alias: the error is at "t".
        self.assertEqual(lines[0], 'ERROR:  syntax error at or near "t" (SQLSTATE 42601)')
        self.assertEqual(lines[1], "LINE 2:   name FORM t;")
        self.assertEqual(lines[2], " " * len("LINE 2:   name FORM ") + "^")

        # A position after a multi-byte character counts characters, not bytes.
        result = self.assertSameRun("-c", "select 'héllo' || nosuchcolumn")
        self.assertIn("(SQLSTATE 42703)", result.stderr)
        self.assertEqual(result.stderr.splitlines()[-1],
                         " " * len("LINE 1: select 'héllo' || ") + "^")

        # Errors from a file name the file and the line in it.
        path = self.write("bad.sql", SETUP + "select 1;\n\nselect 1/0;\nselect 3;\n")
        result = self.assertSameRun("-f", path)
        self.assertEqual(result.returncode, 1)
        line = (SETUP + "select 1;\n\nselect 1/0;").count("\n") + 1
        self.assertEqual(result.stderr.splitlines()[:2],
                         [f"basalt:{path}:{line}: ERROR:  division by zero (SQLSTATE 22012)",
                          "LINE 1: select 1/0;"])

    def test_interactive_session(self):
        term = Terminal(self.remote_args(), self.env)
        self.addCleanup(term.close)
        term.expect(re.escape(f"(server 127.0.0.1:{self.port}, version 15.0 (Basalt))"))
        term.expect(re.escape("basalt> "))
        term.send("select 40 +\n")
        term.expect(re.escape("   ...> "))
        term.send("2 as answer;\n")
        term.expect(r" answer\n-+\n +42\n\(1 row\)")
        term.send("select nosuch;\n")
        term.expect(r"ERROR:  .* \(SQLSTATE 42703\)")
        term.expect(re.escape("basalt> "))
        term.send("\\q\n")
        deadline = time.monotonic() + TIMEOUT
        while not term.exited():
            self.assertLess(time.monotonic(), deadline, "the shell did not exit")
            term.read(0.1)
        self.assertEqual(term.status, 0)

    def test_a_lost_server_is_an_error(self):
        shell = subprocess.Popen([BASALT_BIN, *self.remote_args(), "-"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=self.env)
        try:
            shell.stdin.write("select 1 as before;\n")
            shell.stdin.flush()
            self.assertEqual(shell.stdout.readline(), " before\n")
            # Stop the server; the next statement finds the connection gone.
            self.server.send_signal(signal.SIGTERM)
            self.server.wait(timeout=20)
            shell.stdin.write("select 2;\nselect 3;\n")
            shell.stdin.close()
            shell.wait(timeout=TIMEOUT)
            stderr = shell.stderr.read()
        finally:
            if shell.poll() is None:
                shell.kill()
                shell.wait()
            shell.stdout.close()
            shell.stderr.close()
        self.assertEqual(shell.returncode, 1, stderr)
        self.assertRegex(stderr, r"^basalt:<stdin>:\d+: ERROR:  .*\(SQLSTATE 08006\)\n")
        # tearDown expects to stop a running server: start a fresh one.
        self.restart_server()

    def test_ctrl_c_during_a_statement_ends_the_shell_and_the_statement(self):
        # As locally, Ctrl-C while a statement runs ends the shell; the server
        # sees the connection close and cancels the statement.
        long_query = ("select count(*) from generate_series(1, 100000) a(i), "
                      "generate_series(1, 100000) b(i) where a.i + b.i = 7")
        shell = subprocess.Popen(
            [BASALT_BIN, *self.remote_args(), "-c", long_query], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + TIMEOUT
            while "connected as user" not in self.read_log():
                self.assertLess(time.monotonic(), deadline, "the shell did not connect")
                time.sleep(0.05)
            time.sleep(1.0)  # the statement is running by now
            shell.send_signal(signal.SIGINT)
            self.assertEqual(shell.wait(timeout=TIMEOUT), -signal.SIGINT)
        finally:
            if shell.poll() is None:
                shell.kill()
                shell.wait()
            shell.stdout.close()
            shell.stderr.close()
        deadline = time.monotonic() + TIMEOUT
        while "57014" not in self.read_log():
            self.assertLess(time.monotonic(), deadline,
                            "the server did not cancel the statement:\n" + self.read_log())
            time.sleep(0.05)

    def restart_server(self):
        self.log.close()
        BasaltServerTestCase.setUp(self)


class ConnectionErrorTest(unittest.TestCase):
    def run_shell(self, *args):
        env = dict(os.environ, PGCONNECT_TIMEOUT="10")
        return subprocess.run([BASALT_BIN, *args], input="", capture_output=True, text=True,
                              env=env, timeout=TIMEOUT)

    def test_connection_refused(self):
        port = free_port()  # nothing listens there
        result = self.run_shell("--host", "127.0.0.1", "-p", str(port), "-c", "select 1")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertRegex(result.stderr, r"^ERROR:  could not connect to the server: ")
        self.assertIn(f'"127.0.0.1", port {port} failed: Connection refused', result.stderr)

    def test_flags_that_do_not_go_together(self):
        result = self.run_shell("--host", "127.0.0.1", "--data-dir", "/nonexistent", "-c", "x")
        self.assertEqual(result.returncode, 2)
        self.assertIn("excludes", result.stderr)
        result = self.run_shell("-p", "5433", "-c", "select 1")
        self.assertEqual(result.returncode, 2)
        self.assertIn("requires --host", result.stderr)


if __name__ == "__main__":
    unittest.main()
