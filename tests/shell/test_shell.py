"""Tests of the basalt shell as a process: flags, output formats, exit codes,
error reports and an interactive session on a pseudo-terminal.

Standard library only. Run with the path of the binary in BASALT_BIN:

    BASALT_BIN=build/basalt /usr/bin/python3 tests/shell/test_shell.py

The SQL is kept simple (CREATE TABLE, INSERT, SELECT with WHERE / ORDER BY)
so that these tests follow the shell, not the engine's coverage.
"""

import os
import pty
import re
import select
import signal
import subprocess
import tempfile
import termios
import time
import unittest

BASALT_BIN = os.environ.get("BASALT_BIN", "")
TIMEOUT = 30

CREATE_AND_FILL = (
    "create table t (a integer, b varchar);"
    "insert into t values (1, 'x'), (2, NULL), (3, 'a,b');"
)


class ShellTestCase(unittest.TestCase):
    def setUp(self):
        if not BASALT_BIN or not os.access(BASALT_BIN, os.X_OK):
            self.fail("set BASALT_BIN to the basalt executable (got %r)" % BASALT_BIN)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        # A private HOME keeps the user's ~/.basalt_history out of the tests.
        self.env = dict(os.environ, HOME=self.tmp.name, TERM="dumb")

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text)
        return self.path(name)

    def run_shell(self, *args, input=None):
        return subprocess.run(
            [BASALT_BIN, *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env,
            timeout=TIMEOUT,
        )

    def assertOutput(self, result, stdout, stderr="", status=0):
        self.assertEqual(result.stdout, stdout, "stdout; stderr was:\n" + result.stderr)
        self.assertEqual(result.stderr, stderr, "stderr")
        self.assertEqual(result.returncode, status, "exit status")


    def assertErrorReport(self, stderr, first_line):
        """An error report: `first_line`, then, if the engine gave a position,
        the LINE and caret lines."""
        lines = stderr.splitlines()
        self.assertEqual(lines[:1], [first_line], stderr)
        if len(lines) > 1:
            self.assertEqual(len(lines), 3, stderr)
            self.assertRegex(lines[1], r"^LINE \d+: ")
            self.assertRegex(lines[2], r"^ +\^$")


class MemoryLimitTest(ShellTestCase):
    def test_a_query_over_the_limit_fails_with_53200_and_the_process_survives(self):
        # 36 million distinct values need far more than 600 MiB of hash table.
        result = self.run_shell(
            "--memory-limit-mb", "600",
            "-c", "SELECT count(DISTINCT a.range * 100000 + b.range) "
                  "FROM range(6000) a, range(6000) b")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("out of memory (SQLSTATE 53200)", result.stderr)

    def test_ordinary_queries_run_under_the_limit(self):
        result = self.run_shell("--memory-limit-mb", "600", "-c",
                                "SELECT count(*), sum(range) FROM range(1000000)")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("1000000 | 499999500000", result.stdout)

    def test_bad_limit_is_a_usage_error(self):
        result = self.run_shell("--memory-limit-mb", "-5", "-c", "SELECT 1")
        self.assertEqual(result.returncode, 2)


class CommandTest(ShellTestCase):
    def test_table_output(self):
        result = self.run_shell(
            "-c", CREATE_AND_FILL + "select a, b from t where a >= 2 order by a desc;"
        )
        self.assertOutput(
            result,
            "CREATE TABLE\n"
            "INSERT 0 3\n"
            " a |  b\n"
            "---+------\n"
            " 3 | a,b\n"
            " 2 | NULL\n"
            "(2 rows)\n"
            "\n",
        )

    def test_numbers_right_and_text_left_aligned(self):
        result = self.run_shell(
            "-c",
            "create table n (id integer, name varchar);"
            "insert into n values (7, 'seven'), (1000, 'k');"
            "select id, name from n order by id",
        )
        self.assertOutput(
            result,
            "CREATE TABLE\n"
            "INSERT 0 2\n"
            "  id  | name\n"
            "------+-------\n"
            "    7 | seven\n"
            " 1000 | k\n"
            "(2 rows)\n"
            "\n",
        )

    def test_one_row_and_no_rows(self):
        result = self.run_shell(
            "-c", CREATE_AND_FILL, "-c", "select a from t where a = 1",
            "-c", "select a from t where a > 100",
        )
        self.assertOutput(
            result,
            "CREATE TABLE\nINSERT 0 3\n"
            " a\n---\n 1\n(1 row)\n\n"
            " a\n---\n(0 rows)\n\n",
        )

    def test_repeated_flags_run_in_order(self):
        result = self.run_shell(
            "-c", "create table t (a integer)",
            "-c", "insert into t values (2), (1)",
            "-c", "select a from t order by a",
        )
        self.assertOutput(
            result, "CREATE TABLE\nINSERT 0 2\n a\n---\n 1\n 2\n(2 rows)\n\n"
        )

    def test_csv(self):
        result = self.run_shell(
            "--format", "csv", "-c",
            "create table t (a integer, b varchar);"
            "insert into t values (1, NULL), (2, ''), (3, 'a,b'), (4, 'say \"hi\"'),"
            " (5, 'two\nlines'), (6, 'plain');"
            "select a, b from t order by a;",
        )
        self.assertOutput(
            result,
            "a,b\n"
            "1,\n"
            '2,""\n'
            '3,"a,b"\n'
            '4,"say ""hi"""\n'
            '5,"two\nlines"\n'
            "6,plain\n",
        )

    def test_json(self):
        result = self.run_shell(
            "--format", "json", "-c",
            "create table t (a integer, b varchar);"
            "insert into t values (1, 'x'), (2, NULL), (3, 'é \"q\" \\ tab\there');"
            "select a, b from t order by a;"
            "select a from t where a > 100;",
        )
        self.assertOutput(
            result,
            '[{"a":1,"b":"x"},\n'
            '{"a":2,"b":null},\n'
            '{"a":3,"b":"é \\"q\\" \\\\ tab\\there"}]\n'
            "[]\n",
        )

    def test_meta_commands_in_scripts(self):
        result = self.run_shell(
            "-c", ".mode csv", "-c", "select 1 as a", "-c", ".mode json", "-c", "select 2 as b"
        )
        self.assertOutput(result, 'a\n1\n[{"b":2}]\n')

    def test_last_statement_needs_no_semicolon(self):
        result = self.run_shell("--format", "csv", "-c", "select 1 as a; select 2 as b")
        self.assertOutput(result, "a\n1\nb\n2\n")


class FileAndStdinTest(ShellTestCase):
    SCRIPT = (
        "-- sample data\n"
        "create table t (a integer, b varchar);\n"
        "insert into t values\n"
        "  (1, 'x'),\n"
        "  (2, 'y; not the end');\n"
        "select b from t\n"
        "  where a = 2;\n"
    )
    EXPECTED = (
        "CREATE TABLE\n"
        "INSERT 0 2\n"
        "       b\n"
        "----------------\n"
        " y; not the end\n"
        "(1 row)\n"
        "\n"
    )

    def test_file(self):
        result = self.run_shell("-f", self.write("script.sql", self.SCRIPT))
        self.assertOutput(result, self.EXPECTED)

    def test_commands_and_files_in_command_line_order(self):
        script = self.write("script.sql", "insert into t values (5);\n")
        result = self.run_shell(
            "--format", "csv",
            "-c", "create table t (a integer)", "-f", script, "-c", "select a from t",
        )
        self.assertOutput(result, "a\n5\n")

    def test_stdin_pipe(self):
        result = self.run_shell(input=self.SCRIPT)
        self.assertOutput(result, self.EXPECTED)

    def test_stdin_dash(self):
        result = self.run_shell("-", input=self.SCRIPT)
        self.assertOutput(result, self.EXPECTED)
        result = self.run_shell("-f", "-", input=self.SCRIPT)
        self.assertOutput(result, self.EXPECTED)

    def test_init_then_command(self):
        init = self.write("init.sql", CREATE_AND_FILL)
        result = self.run_shell(
            "--init", init, "--format", "csv", "-c", "select a from t where a < 3 order by a"
        )
        # The init file's tags are not printed in csv format.
        self.assertOutput(result, "a\n1\n2\n")

    def test_init_then_stdin(self):
        init = self.write("init.sql", CREATE_AND_FILL)
        result = self.run_shell("--init", init, input="select b from t where a = 3;\n")
        self.assertOutput(
            result, "CREATE TABLE\nINSERT 0 3\n  b\n-----\n a,b\n(1 row)\n\n"
        )

    def test_timer(self):
        result = self.run_shell(
            "--timer", "--format", "csv", "-c", "select 1 as a; select 2 as b"
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "a\n1\nb\n2\n")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 2, result.stderr)
        for line in lines:
            self.assertRegex(line, r"^Time: \d+\.\d{3} ms$")

    def test_timer_meta_command(self):
        result = self.run_shell("-c", ".timer on", "-c", "select 1")
        self.assertRegex(result.stderr, r"^Time: \d+\.\d{3} ms\n$")


class ExitStatusTest(ShellTestCase):
    def test_failing_statement_stops_the_script(self):
        result = self.run_shell(
            "--format", "csv",
            "-c", "select 1 as before; select 1/0; select 2 as after",
            "-c", "select 3 as later",
        )
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "before\n1\n")
        self.assertErrorReport(result.stderr, "ERROR:  division by zero (SQLSTATE 22012)")

    def test_failing_statement_in_file_names_file_and_line(self):
        script = self.write(
            "bad.sql", "create table t (a integer);\n\nselect 1/0;\ninsert into t values (1);\n"
        )
        result = self.run_shell("-f", script, "-c", "select 3 as later")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "CREATE TABLE\n")
        self.assertErrorReport(
            result.stderr, "basalt:%s:3: ERROR:  division by zero (SQLSTATE 22012)" % script
        )

    def test_failing_statement_on_stdin(self):
        result = self.run_shell(
            "--format", "csv", input="select 1 as a;\nselect 1/0;\nselect 2 as b;\n"
        )
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "a\n1\n")
        self.assertIn("division by zero", result.stderr)

    def test_failing_init_file_stops_a_script(self):
        init = self.write("init.sql", "select 1/0;\n")
        result = self.run_shell("--init", init, "-c", "select 1 as a")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")

    def test_unknown_meta_command_fails(self):
        result = self.run_shell("-c", ".nonsense", "-c", "select 1 as a")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertIn('unknown command ".nonsense"', result.stderr)

    def test_quit_in_script_ends_successfully(self):
        result = self.run_shell(
            "--format", "csv", "-c", "select 1 as a", "-c", ".quit", "-c", "select 2 as b"
        )
        self.assertOutput(result, "a\n1\n")

    def test_unknown_flag(self):
        result = self.run_shell("--no-such-flag")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--no-such-flag", result.stderr)

    def test_bad_flag_values(self):
        self.assertEqual(self.run_shell("--format", "xml", "-c", "select 1").returncode, 2)
        self.assertEqual(self.run_shell("--threads", "-3", "-c", "select 1").returncode, 2)
        self.assertEqual(self.run_shell("-c").returncode, 2)
        self.assertEqual(self.run_shell("stray-argument").returncode, 2)

    def test_missing_file(self):
        missing = self.path("missing.sql")
        # Files are checked before anything runs: the -c before it does not run.
        result = self.run_shell("-c", "select 1 as a", "-f", missing)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn(missing, result.stderr)
        self.assertEqual(self.run_shell("--init", missing, "-c", "select 1").returncode, 2)
        self.assertEqual(self.run_shell("-f", self.tmp.name).returncode, 2)  # a directory

    def test_help_and_version(self):
        result = self.run_shell("--help")
        self.assertEqual(result.returncode, 0)
        for flag in ("--data-dir", "--command", "--file", "--init", "--format", "--timer",
                     "--threads", "--version"):
            self.assertIn(flag, result.stdout)
        result = self.run_shell("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^basalt \d+\.\d+\.\d+\n$")


class ErrorReportTest(ShellTestCase):
    def caret_report(self, stderr):
        """Returns (message, line number, line text, caret column in that text)."""
        lines = stderr.splitlines()
        self.assertGreaterEqual(len(lines), 3, stderr)
        match = re.match(r"^ERROR:  (.*) \(SQLSTATE (\w{5})\)$", lines[0])
        self.assertTrue(match, stderr)
        location = re.match(r"^(LINE (\d+): )(.*)$", lines[1])
        self.assertTrue(location, stderr)
        self.assertRegex(lines[2], r"^ *\^$")
        column = len(lines[2]) - 1 - len(location.group(1))
        return match.group(1), int(location.group(2)), location.group(3), column

    def assertCaretUnderToken(self, stderr, expected_line, line_text):
        message, line, text, column = self.caret_report(stderr)
        self.assertIn("SQLSTATE 42601", stderr)
        self.assertEqual(line, expected_line, stderr)
        self.assertEqual(text, line_text, stderr)
        # Whichever token the parser names, the caret is under it.
        token = re.search(r'at or near "([^"]+)"', message)
        self.assertTrue(token, stderr)
        self.assertTrue(text[column:].startswith(token.group(1)), stderr)

    def test_caret_in_multiline_statement(self):
        result = self.run_shell(
            "--format", "csv",
            "-c", "select 1 as a;\nselect 2 as b,\n  3 FORM t;\nselect 4 as c;",
        )
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "a\n1\n")
        # LINE counts lines of the failing statement, not of the whole -c text.
        self.assertCaretUnderToken(result.stderr, 2, "  3 FORM t;")

    def test_caret_counts_characters_not_bytes(self):
        result = self.run_shell("-c", "select 'é' as x,\n  'ü' FORM t;")
        self.assertEqual(result.returncode, 1)
        self.assertCaretUnderToken(result.stderr, 2, "  'ü' FORM t;")

    def test_error_in_file_reports_file_line(self):
        script = self.write("syntax.sql", "select 1;\n\nselect 2,\n  3 FORM t;\n")
        result = self.run_shell("-f", script)
        self.assertEqual(result.returncode, 1)
        prefix = "basalt:%s:4: " % script
        self.assertTrue(result.stderr.startswith(prefix), result.stderr)
        self.assertCaretUnderToken(result.stderr[len(prefix):], 2, "  3 FORM t;")


class Terminal:
    """The shell on a pseudo-terminal, driven like a user would."""

    def __init__(self, args, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the shell
            try:
                os.execve(BASALT_BIN, [BASALT_BIN, *args], env)
            finally:
                os._exit(127)
        self.output = ""
        self.seen = 0  # output before this offset has been matched already
        self.status = None

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the shell has exited and closed the terminal
            return False
        if not data:
            return False
        # The terminal turns "\n" into "\r\n".
        self.output += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, pattern, timeout=TIMEOUT):
        """Waits for `pattern` (a regex) in output not yet matched."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.output, self.seen)
            if match:
                self.seen = match.end()
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (not self.read(remaining) and self.exited()):
                raise AssertionError(
                    "did not see %r; output after the last match:\n%s"
                    % (pattern, self.output[self.seen:])
                )

    def send(self, text):
        """Types `text` once the shell waits for a key.

        Until line editing has switched the terminal out of canonical mode,
        the kernel, not the shell, would act on Ctrl-C and Ctrl-D.
        """
        deadline = time.monotonic() + TIMEOUT
        while termios.tcgetattr(self.fd)[3] & termios.ICANON:
            if time.monotonic() > deadline or self.exited():
                raise AssertionError("the shell is not reading keys; output:\n" + self.output)
            time.sleep(0.01)
        os.write(self.fd, text.encode("utf-8"))

    def exited(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                self.status = status
        return self.status is not None

    def wait(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                raise AssertionError("the shell did not exit; output:\n" + self.output)
            self.read(0.1)
        while self.read(0.1):
            pass
        return os.waitstatus_to_exitcode(self.status)

    def close(self):
        if not self.exited():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


class InteractiveTest(ShellTestCase):
    PROMPT = re.escape("basalt> ")
    CONTINUATION = re.escape("   ...> ")

    def start(self, *args):
        terminal = Terminal(args, self.env)
        self.addCleanup(terminal.close)
        terminal.expect(re.escape('Enter ".help" for usage hints.'))
        terminal.expect(self.PROMPT)
        return terminal

    def test_session(self):
        term = self.start()
        term.send("create table t (a integer);\n")
        term.expect("CREATE TABLE\n")
        term.expect(self.PROMPT)

        # A statement over two lines runs when its `;` arrives.
        term.send("select 40 +\n")
        term.expect(self.CONTINUATION)
        term.send("2 as answer;\n")
        term.expect(re.escape(" answer\n--------\n     42\n(1 row)\n"))
        term.expect(self.PROMPT)

        # An error is reported and the session goes on.
        term.send("select 1/0;\n")
        term.expect(re.escape("ERROR:  division by zero (SQLSTATE 22012)\n"))
        term.expect(self.PROMPT)
        term.send("select 5 as after_error;\n")
        term.expect(re.escape(" after_error\n-------------\n           5\n(1 row)\n"))
        term.expect(self.PROMPT)

        # Non-ASCII text typed at the terminal arrives intact.
        term.send("select 'é' as x;\n")
        term.expect(re.escape(" x\n---\n é\n(1 row)\n"))
        term.expect(self.PROMPT)

        term.send(".quit\n")
        self.assertEqual(term.wait(), 0)
        with open(self.path(".basalt_history"), encoding="utf-8", errors="replace") as f:
            history = f.read()
        self.assertIn("after_error", history)

    def test_syntax_error_shows_caret(self):
        term = self.start()
        term.send("select 1,\n")
        term.expect(self.CONTINUATION)
        term.send("  2 FORM t;\n")
        match = term.expect(r"ERROR:  [^\n]*\nLINE 2:   2 FORM t;\n( *)\^\n")
        self.assertIn(len(match.group(1)) - len("LINE 2: "), (4, 9))  # FORM or t
        term.expect(self.PROMPT)
        term.send("\\q\n")
        self.assertEqual(term.wait(), 0)

    def test_meta_commands_and_ctrl_d(self):
        term = self.start()
        term.send(".help\n")
        term.expect(re.escape(".mode table|csv|json"))
        term.expect(self.PROMPT)
        term.send(".mode csv\n")
        term.expect(self.PROMPT)
        term.send("select 1 as a;\n")
        term.expect("a\n1\n")
        term.expect(self.PROMPT)
        term.send(".timer on\n")
        term.expect(self.PROMPT)
        term.send("select 2 as b;\n")
        term.expect(r"b\n2\nTime: \d+\.\d{3} ms\n")
        term.expect(self.PROMPT)
        term.send(".bogus\n")
        term.expect(re.escape('ERROR:  unknown command ".bogus"'))
        term.expect(self.PROMPT)
        term.send("\x04")  # Ctrl-D
        self.assertEqual(term.wait(), 0)

    def test_ctrl_c_abandons_the_statement_being_typed(self):
        term = self.start()
        term.send("select 'abandoned'\n")
        term.expect(self.CONTINUATION)
        term.send("\x03")  # Ctrl-C
        term.expect(self.PROMPT)
        term.send("select 3 as fresh;\n")
        term.expect(re.escape(" fresh\n-------\n     3\n(1 row)\n"))
        self.assertNotIn("abandoned\n", term.output[term.seen:])
        term.send(".exit\n")
        self.assertEqual(term.wait(), 0)

    def test_init_file_then_interactive(self):
        init = self.write("init.sql", CREATE_AND_FILL)
        term = Terminal(["--init", init], self.env)
        self.addCleanup(term.close)
        term.expect("CREATE TABLE\nINSERT 0 3\n")
        term.expect(self.PROMPT)
        term.send("select b from t where a = 1;\n")
        term.expect(re.escape(" b\n---\n x\n(1 row)\n"))
        term.send(".quit\n")
        self.assertEqual(term.wait(), 0)


if __name__ == "__main__":
    unittest.main()
