"""Writes that fail (docs/managed_storage.md, "A write, step by step"): a
statement that fails before the metadata transaction removes its staging
directory and any directory it moved, and the table is as it was, in the same
session and after a restart.

- A full disk, simulated with RLIMIT_FSIZE (SIGXFSZ ignored, so writes fail
  with EFBIG): while a segment is written (INSERT, INSERT OVERWRITE, CREATE
  TABLE AS), and at the commit itself (the metadata store's WAL cannot grow).
- The table's warehouse directory replaced by a regular file, and staging/
  replaced by one (the process runs as root in CI, so permissions would not
  stop it): 58030, the table unchanged, and once the file is gone writes work.
- A statement error (division by zero, a NULL partition key) after rows were
  already written to staging.

Failures are checked in interactive sessions on a pseudo-terminal, which go
on after an error. Run by ctest (tests/storage/CMakeLists.txt) with BASALT_BIN set.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storage_util import StorageTestCase, Terminal, limit_file_size  # noqa: E402

BASE_ROWS = 1000
BASE = (BASE_ROWS, sum(range(BASE_ROWS)))


class WriteErrorTest(StorageTestCase):
    def setUp(self):
        super().setUp()
        # Without a limit: the metadata store and the table exist before any
        # process runs with one.
        self.ok("CREATE TABLE t (id BIGINT, v VARCHAR, d DATE)",
                f"INSERT INTO t SELECT i, 'v' || i, DATE '2024-01-01' + CAST(i % 30 AS INTEGER) "
                f"FROM range({BASE_ROWS}) r(i)")
        self.segments = self.segment_directories("t")

    def session(self, preexec_fn=None):
        terminal = Terminal(self.data_dir, preexec_fn=preexec_fn)
        self.addCleanup(terminal.close)
        return terminal

    def state(self, terminal, table="t"):
        rows, errors, text = terminal.run(f"SELECT count(*), sum(id) FROM {table}")
        self.assertEqual(errors, [], f"reading {table} failed:\n{text}")
        return int(rows[0][0]), int(rows[0][1] or 0)

    def assert_fails(self, terminal, sql, sqlstate, *must_name):
        rows, errors, text = terminal.run(sql)
        self.assertEqual(errors, [sqlstate], f"{sql!r} should fail with {sqlstate}:\n{text}")
        for part in must_name:
            self.assertIn(part, text, f"the error of {sql!r} does not say {part!r}")
        return text

    def assert_ok(self, terminal, sql):
        rows, errors, text = terminal.run(sql)
        self.assertEqual(errors, [], f"{sql!r} failed:\n{text}")
        return rows

    def assert_quits(self, terminal):
        self.assertEqual(terminal.quit(), 0, "the session did not end normally; output:\n"
                         + terminal.output)

    def test_full_disk_while_writing_segments(self):
        # 1 MiB: the start-up (metadata store, its WAL and shared memory)
        # fits, a segment of several MiB does not.
        terminal = self.session(limit_file_size(1 << 20))
        # A segment of several MiB (hex digests hardly compress).
        rows = "i, md5(CAST(i AS VARCHAR)), DATE '2024-02-01' FROM range(100000, 300000) r(i)"
        self.assert_fails(terminal, f"INSERT INTO t SELECT {rows}", "58030", "File too large")
        self.assertEqual(self.state(terminal), BASE, "a failed INSERT changed the table")
        self.assertEqual(self.staging_entries(), [], "a failed INSERT left its staging directory")
        self.assertEqual(self.segment_directories("t"), self.segments)

        self.assert_fails(terminal, f"INSERT OVERWRITE t SELECT {rows}", "58030")
        self.assertEqual(self.state(terminal), BASE, "a failed INSERT OVERWRITE changed the table")
        self.assert_fails(terminal, f"CREATE TABLE c AS SELECT {rows}", "58030")
        self.assert_fails(terminal, "SELECT count(*) FROM c", "42P01")
        self.assertEqual(self.staging_entries(), [], "failed writes left staging directories")
        self.assertEqual(self.segment_directories("t"), self.segments)
        self.assertEqual(self.segment_directories("c"), [])

        # A write that fits still works in the same session.
        self.assert_ok(terminal, "INSERT INTO t SELECT i, 'small', DATE '2024-03-01' "
                                 "FROM range(5000, 5010) r(i)")
        expected = (BASE_ROWS + 10, BASE[1] + sum(range(5000, 5010)))
        self.assertEqual(self.state(terminal), expected)
        self.assert_quits(terminal)

        # After a restart without the limit.
        self.assertEqual(self.count_and_sum("t"), expected, "after a restart")
        self.assert_storage_consistent("t", expected[0])
        self.assert_storage_consistent("c", None)

    def test_full_disk_at_commit(self):
        # 64 KiB: the store's shared memory file (32 KiB) fits, and segments
        # of a few rows do, but the write-ahead log soon cannot grow, so the
        # metadata transaction, the commit point, fails.
        self.ok("CREATE TABLE p (ts TIMESTAMP, id BIGINT) PARTITION BY day(ts)")
        terminal = self.session(limit_file_size(64 << 10))
        committed = list(range(BASE_ROWS))
        failure = None
        for n in range(60):
            rows, errors, text = terminal.run(
                f"INSERT INTO t VALUES ({10000 + n}, 'row {n}', DATE '2024-04-01')")
            if errors:
                failure = (errors, text)
                break
            committed.append(10000 + n)
        self.assertIsNotNone(failure, "no INSERT failed with the WAL limited to 64 KiB")
        errors, text = failure
        self.assertEqual(errors, ["58030"], f"the failed commit:\n{text}")
        self.assertIn("metadata store", text)
        expected = (len(committed), sum(committed))
        self.assertEqual(self.state(terminal), expected,
                         "after a failed commit the table is not what was committed")
        self.assertEqual(self.staging_entries(), [], "a failed commit left its staging directory")
        self.assertEqual(len(self.segment_directories("t")), len(committed) - BASE_ROWS + 1,
                         "a failed commit left the segment it had moved into the warehouse")
        # A write of several segments (five days) whose commit fails: every
        # directory it moved goes.
        self.assert_fails(terminal, "INSERT INTO p SELECT TIMESTAMP '2024-01-01 00:00:00' + "
                                    "i * INTERVAL '1 hour', i FROM range(120) r(i)", "58030")
        self.assertEqual(self.state(terminal, "p"), (0, 0))
        self.assertEqual(self.segment_directories("p"), [],
                         "a failed commit left segments it had moved into the warehouse")
        self.assertEqual(self.staging_entries(), [], "a failed commit left its staging directory")
        self.assert_quits(terminal)

        self.assertEqual(self.count_and_sum("t"), expected, "after a restart")
        self.assert_storage_consistent("t", expected[0])
        self.assert_storage_consistent("p", 0)
        self.ok("INSERT INTO t VALUES (99999, 'after', DATE '2024-05-01')")
        self.assertEqual(self.count_and_sum("t"), (expected[0] + 1, expected[1] + 99999))
        self.assert_storage_consistent("t", expected[0] + 1)

    def test_table_directory_is_a_file(self):
        terminal = self.session()
        table_dir = self.path("warehouse", "main", "t")
        aside = self.path("t-aside")
        self.assertEqual(self.state(terminal), BASE)
        # The table's directory becomes a regular file for the INSERT, and
        # its segments are kept aside meanwhile.
        os.rename(table_dir, aside)
        with open(table_dir, "w") as f:
            f.write("not a directory\n")
        self.assert_fails(terminal, "INSERT INTO t SELECT i, 'x', DATE '2024-02-01' "
                                    "FROM range(2000, 3000) r(i)", "58030", "warehouse/main/t")
        self.assertTrue(os.path.isfile(table_dir), "the file in the table's place is gone")
        self.assertEqual(self.staging_entries(), [], "the failed INSERT left its staging directory")
        os.remove(table_dir)
        os.rename(aside, table_dir)
        self.assertEqual(self.state(terminal), BASE, "a failed INSERT changed the table")
        self.assertEqual(self.segment_directories("t"), self.segments)

        # The same for a table without rows, whose directory does not exist yet.
        self.assert_ok(terminal, "CREATE TABLE e (id BIGINT)")
        empty_dir = self.path("warehouse", "main", "e")
        self.assertFalse(os.path.exists(empty_dir))
        with open(empty_dir, "w") as f:
            f.write("not a directory\n")
        self.assert_fails(terminal, "INSERT INTO e SELECT i FROM range(10) r(i)", "58030")
        self.assertEqual(self.state(terminal, "e"), (0, 0))
        os.remove(empty_dir)
        self.assert_ok(terminal, "INSERT INTO e SELECT i FROM range(10) r(i)")
        self.assertEqual(self.state(terminal, "e"), (10, 45))

        # Once the file is gone, writes work.
        self.assert_ok(terminal, "INSERT INTO t SELECT i, 'x', DATE '2024-02-01' "
                                 "FROM range(2000, 3000) r(i)")
        expected = (BASE_ROWS + 1000, BASE[1] + sum(range(2000, 3000)))
        self.assertEqual(self.state(terminal), expected)
        self.assert_quits(terminal)
        self.assertEqual(self.count_and_sum("t"), expected, "after a restart")
        self.assert_storage_consistent("t", expected[0])
        self.assert_storage_consistent("e", 10)

    def test_error_in_the_middle_of_a_write(self):
        """A statement error after rows were already written to staging."""
        self.ok("CREATE TABLE p (ts TIMESTAMP, id BIGINT) PARTITION BY day(ts)")
        terminal = self.session()
        self.assert_fails(terminal, "INSERT INTO t SELECT i + 10 / (i - 150000), 'x', DATE '2024-01-01' "
                                    "FROM range(200000) r(i)", "22012")
        self.assert_fails(terminal, "INSERT OVERWRITE t SELECT i + 10 / (i - 150000), 'x', "
                                    "DATE '2024-01-01' FROM range(200000) r(i)", "22012")
        self.assert_fails(terminal, "CREATE TABLE c AS SELECT i + 10 / (i - 150000) AS id "
                                    "FROM range(200000) r(i)", "22012")
        # A NULL in the partition column, rows of other days already written.
        self.assert_fails(terminal, "INSERT INTO p SELECT CASE WHEN i = 150000 THEN NULL ELSE "
                                    "TIMESTAMP '2024-01-01 00:00:00' + i * INTERVAL '10 second' END, i "
                                    "FROM range(200000) r(i)", "23502")
        self.assertEqual(self.state(terminal), BASE, "failed writes changed the table")
        self.assertEqual(self.state(terminal, "p"), (0, 0), "a failed write changed the table")
        self.assert_fails(terminal, "SELECT count(*) FROM c", "42P01")
        self.assertEqual(self.staging_entries(), [], "failed writes left staging directories")
        self.assertEqual(self.segment_directories("t"), self.segments)
        self.assertEqual(self.segment_directories("p"), [])
        self.assert_quits(terminal)
        self.assertEqual(self.count_and_sum("t"), BASE, "after a restart")
        self.assert_storage_consistent("t", BASE_ROWS)
        self.assert_storage_consistent("p", 0)
        self.assert_storage_consistent("c", None)

    def test_staging_is_a_file(self):
        terminal = self.session()
        staging = self.path("staging")
        os.rmdir(staging)
        with open(staging, "w") as f:
            f.write("not a directory\n")
        self.assert_fails(terminal, "INSERT INTO t SELECT i, 'x', DATE '2024-02-01' "
                                    "FROM range(2000, 3000) r(i)", "58030", "staging")
        self.assert_fails(terminal, "CREATE TABLE c AS SELECT * FROM t", "58030")
        self.assertEqual(self.state(terminal), BASE, "a failed INSERT changed the table")
        self.assert_fails(terminal, "SELECT count(*) FROM c", "42P01")
        os.remove(staging)
        os.mkdir(staging)
        self.assert_ok(terminal, "INSERT INTO t SELECT i, 'x', DATE '2024-02-01' "
                                 "FROM range(2000, 3000) r(i)")
        expected = (BASE_ROWS + 1000, BASE[1] + sum(range(2000, 3000)))
        self.assertEqual(self.state(terminal), expected)
        self.assert_quits(terminal)
        self.assertEqual(self.count_and_sum("t"), expected, "after a restart")
        self.assert_storage_consistent("t", expected[0])
        self.assert_storage_consistent("c", None)


if __name__ == "__main__":
    unittest.main()
