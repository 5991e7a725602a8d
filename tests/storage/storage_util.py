"""Helpers shared by the storage process tests (tests/storage/test_*.py).

Every test runs `basalt --data-dir DIR` as a real process on a data directory
of its own (docs/managed_storage.md) and looks at the directory itself
between runs. Only Python's standard library is used; the tests run with
/usr/bin/python3 (BASALT_BIN points at the binary, as in tests/shell).
"""

import csv
import fcntl
import io
import os
import pty
import re
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import tempfile
import termios
import time
import unittest

BASALT_BIN = os.environ.get("BASALT_BIN", "build/basalt")
TIMEOUT = 60

SQLSTATE_RE = re.compile(r"\(SQLSTATE ([0-9A-Z]{5})\)")


class Result:
    """What one basalt process did: its exit status (negative: the signal
    that ended it, as subprocess reports it), standard output and error."""

    def __init__(self, args, returncode, stdout, stderr):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def describe(self):
        return (f"basalt {' '.join(self.args)!r}\n  exit status {self.returncode}\n"
                f"  stdout: {self.stdout!r}\n  stderr: {self.stderr!r}")

    def sqlstates(self):
        return SQLSTATE_RE.findall(self.stderr)


def limit_file_size(limit):
    """A preexec_fn: writes past `limit` bytes fail with EFBIG instead of the
    process being killed by SIGXFSZ (how a full disk looks to a writer)."""

    def apply():
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def start_basalt(data_dir, *args, env=None, preexec_fn=None, stdin=subprocess.DEVNULL):
    """Starts `basalt --data-dir DIR --format csv ARGS` without waiting."""
    command = [BASALT_BIN, "--data-dir", data_dir, "--format", "csv", *args]
    full_env = dict(os.environ)
    full_env.pop("BASALT_FAULT_POINT", None)
    full_env.update(env or {})
    return subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=full_env, preexec_fn=preexec_fn, text=True)


def finish(process, timeout=TIMEOUT):
    """Waits for a process started by start_basalt, killing it (by pid) if it
    takes longer than `timeout`."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"basalt {process.args!r} did not finish in {timeout} s; "
                             f"stdout={out!r} stderr={err!r}")
    return Result(process.args[5:], process.returncode, out, err)


def run_basalt(data_dir, *statements, env=None, preexec_fn=None, timeout=TIMEOUT):
    """Runs each statement as a -c of one process and waits for it."""
    args = []
    for s in statements:
        args += ["-c", s]
    return finish(start_basalt(data_dir, *args, env=env, preexec_fn=preexec_fn), timeout)


def parse_csv(text):
    """Rows of basalt's CSV output (header lines are dropped by the caller)."""
    return list(csv.reader(io.StringIO(text)))


class StorageTestCase(unittest.TestCase):
    """A fresh data directory per test, removed afterwards."""

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="basalt-storage-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)

    # Running statements

    def ok(self, *statements, data_dir=None, **kw):
        """Runs the statements in one process, which must succeed."""
        result = run_basalt(data_dir or self.data_dir, *statements, **kw)
        self.assertEqual(result.returncode, 0, "statements failed:\n" + result.describe())
        self.assertEqual(result.stderr, "", "unexpected output on stderr:\n" + result.describe())
        return result

    def query(self, sql, data_dir=None):
        """The rows (lists of strings, no header) of one SELECT in a process of its own."""
        result = self.ok(sql, data_dir=data_dir)
        return parse_csv(result.stdout)[1:]

    def fails(self, sqlstate, *statements, data_dir=None, **kw):
        """Runs the statements, of which one must fail with `sqlstate`: the
        shell's ordinary failure (exit status 1, no signal)."""
        result = run_basalt(data_dir or self.data_dir, *statements, **kw)
        self.assertEqual(result.returncode, 1,
                         f"expected the shell's error status 1 (a failed statement, not a crash):\n"
                         + result.describe())
        self.assertEqual(result.sqlstates(), [sqlstate],
                         f"expected exactly one error with SQLSTATE {sqlstate}:\n" + result.describe())
        return result

    def count_and_sum(self, table, column="id", data_dir=None):
        rows = self.query(f"SELECT count(*), sum({column}) FROM {table}", data_dir=data_dir)
        count, total = rows[0]
        return int(count), int(total) if total != "" else 0

    # The data directory

    def path(self, *parts):
        return os.path.join(self.data_dir, *parts)

    def staging_entries(self):
        return sorted(os.listdir(self.path("staging")))

    def segment_directories(self, table, schema="main"):
        """Directory names under warehouse/<schema>/<table>/ (none if it does not exist)."""
        directory = self.path("warehouse", schema, table)
        if not os.path.isdir(directory):
            return []
        return sorted(os.listdir(directory))

    def stored_segments(self, table, schema="main"):
        """{segment_id: (num_rows, used)} of the table in the metadata store,
        read with sqlite3 while no basalt process has the directory open; the
        store is the authority on which segments a table has (the warehouse's
        clean-up at start compares against the same records)."""
        connection = sqlite3.connect(self.path("system", "metadata.db"))
        try:
            oids = [r[0] for r in connection.execute(
                "SELECT oid FROM tables WHERE schema = ? AND name = ?", (schema, table))]
            if not oids:
                return None
            rows = connection.execute(
                "SELECT segment_id, num_rows, used FROM segments WHERE table_oid = ?", (oids[0],))
            return {segment_id: (num_rows, used) for segment_id, num_rows, used in rows}
        finally:
            connection.close()

    def orphan_segment_records(self):
        """Segment records whose table is gone or which are no longer used."""
        connection = sqlite3.connect(self.path("system", "metadata.db"))
        try:
            return [r[0] for r in connection.execute(
                "SELECT segment_id FROM segments WHERE used = 0 "
                "OR table_oid NOT IN (SELECT oid FROM tables)")]
        finally:
            connection.close()

    def unknown_segment_directories(self):
        """Segment directories anywhere under warehouse/ that no table uses."""
        connection = sqlite3.connect(self.path("system", "metadata.db"))
        try:
            used = {os.path.normpath(r[0]) for r in connection.execute(
                "SELECT directory FROM segments WHERE used = 1 "
                "AND table_oid IN (SELECT oid FROM tables)")}
        finally:
            connection.close()
        found = set()
        for schema in os.listdir(self.path("warehouse")):
            for table in os.listdir(self.path("warehouse", schema)):
                for segment in os.listdir(self.path("warehouse", schema, table)):
                    found.add(os.path.join("warehouse", schema, table, segment))
        return sorted(found - used)

    def sys_segments(self, table):
        """The table's segment ids as sys.segments lists them, or None while
        Basalt has no sys.segments (or it lacks segment_id / table_name)."""
        result = run_basalt(self.data_dir, "SELECT * FROM sys.segments")
        if result.returncode != 0:
            self.assertIn("42P01", result.sqlstates(), result.describe())
            return None
        rows = parse_csv(result.stdout)
        header = rows[0] if rows else []
        if "segment_id" not in header or "table_name" not in header:
            return None
        sid, name = header.index("segment_id"), header.index("table_name")
        return sorted(r[sid] for r in rows[1:] if r[name] == table)

    def assert_storage_consistent(self, table, expected_rows, schema="main"):
        """After a restart: staging/ is empty, and the directories under
        warehouse/<schema>/<table>/ are exactly the segments the table uses,
        whose rows add up to `expected_rows` (None: the table must not exist,
        and neither may its directory)."""
        self.assertEqual(self.staging_entries(), [], "staging/ was not emptied at start")
        self.assertEqual(self.unknown_segment_directories(), [],
                         "segment directories no table uses are left in the warehouse")
        directories = self.segment_directories(table, schema)
        segments = self.stored_segments(table, schema)
        if expected_rows is None:
            self.assertIsNone(segments, f"table {table} exists in the metadata store")
            self.assertEqual(self.orphan_segment_records(), [],
                             "records of unused segments, or of tables that do not exist, "
                             "survived the start-up clean-up")
            self.assertEqual(directories, [],
                             f"warehouse/{schema}/{table}/ holds directories of a table that "
                             f"does not exist")
            return
        self.assertIsNotNone(segments, f"table {table} is missing from the metadata store")
        used = sorted(s for s, (_, u) in segments.items() if u)
        self.assertEqual(directories, used,
                         f"warehouse/{schema}/{table}/ does not hold exactly the table's segments "
                         f"(directories vs. used segments in the store)")
        self.assertEqual(self.orphan_segment_records(), [],
                         "records of unused segments, or of tables that do not exist, survived "
                         "the start-up clean-up")
        self.assertEqual(sum(n for n, u in segments.values() if u), expected_rows,
                         "the table's segments do not add up to its row count")
        for d in directories:
            self.assertTrue(os.path.isfile(os.path.join(self.path("warehouse", schema, table, d),
                                                        "data.bsg")),
                            f"segment directory {d} has no data.bsg")
        listed = self.sys_segments(table)
        if listed is not None:
            self.assertEqual(listed, directories, "sys.segments disagrees with the warehouse")


class Terminal:
    """An interactive shell session on a pseudo-terminal: unlike -c and -f,
    it goes on after a failed statement, so one session can see an error and
    then check that everything else still works."""

    def __init__(self, data_dir, preexec_fn=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the shell
            try:
                # Wide enough that no statement typed is wrapped in the echo.
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 2000, 0, 0))
                env = dict(os.environ)
                env.pop("BASALT_FAULT_POINT", None)
                if preexec_fn:
                    preexec_fn()
                os.execve(BASALT_BIN, [BASALT_BIN, "--data-dir", data_dir, "--format", "csv"], env)
            finally:
                os._exit(127)
        self.output = ""
        self.seen = 0
        self.status = None
        self.marks = 0
        self.expect(r"basalt> ")

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the shell has exited
            return False
        if not data:
            return False
        self.output += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def exited(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                self.status = status
        return self.status is not None

    def expect(self, pattern, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.MULTILINE)
        while True:
            match = regex.search(self.output, self.seen)
            if match:
                start = self.seen
                self.seen = match.end()
                return self.output[start:match.start()]
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (not self.read(remaining) and self.exited()):
                raise AssertionError(f"the shell did not print {pattern!r} (exit status "
                                     f"{self.exit_status()}); output since the last statement:\n"
                                     f"{self.output[self.seen:]}")

    def send(self, text):
        deadline = time.monotonic() + TIMEOUT
        while termios.tcgetattr(self.fd)[3] & termios.ICANON:
            if time.monotonic() > deadline or self.exited():
                raise AssertionError("the shell is not reading keys (exit status "
                                     f"{self.exit_status()}); output:\n{self.output}")
            time.sleep(0.01)
        os.write(self.fd, text.encode("utf-8"))

    def run(self, sql):
        """Runs one statement; returns (rows without the header, the SQLSTATEs of
        its errors, everything the terminal showed)."""
        self.marks += 1
        mark = f"MARK{self.marks}"
        if not sql.rstrip().endswith(";"):
            sql = sql.rstrip() + ";"
        self.send(f"{sql}\n")
        # Typed only at the next prompt: keys typed while a statement runs
        # are echoed by the terminal, in the middle of the output. Its result
        # is after everything the statement printed.
        text = self.expect(r"^basalt> ")
        self.send(f"SELECT '{mark}' AS basalt_test_mark;\n")
        text += "basalt> " + self.expect(rf"^{mark}$")
        self.expect(r"^basalt> ")
        # The first line is the statement as typed (after the prompt).
        lines = [line for line in text.split("\n")[1:]
                 if not line.startswith("basalt> ") and not line.startswith("   ...> ")
                 and line != "basalt_test_mark"]
        errors = SQLSTATE_RE.findall(text)
        rows = parse_csv("\n".join(l for l in lines
                                   if l and not l.startswith(("ERROR:", "LINE ", "WARNING:")))
                         ) if not errors else []
        return rows[1:], errors, text

    def exit_status(self):
        if not self.exited():
            return None
        return os.waitstatus_to_exitcode(self.status)

    def quit(self):
        """Leaves with \\q; returns the exit status."""
        self.send("\\q\n")
        deadline = time.monotonic() + TIMEOUT
        while not self.exited():
            if time.monotonic() > deadline:
                raise AssertionError("the shell did not exit on \\q; output:\n" + self.output)
            self.read(0.1)
        return self.exit_status()

    def close(self):
        if not self.exited():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
