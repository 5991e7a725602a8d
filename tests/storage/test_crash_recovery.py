"""Kill tests for managed storage (docs/managed_storage.md, "Crashes and clean-up").

A write is killed with SIGKILL at each of its fault points
(BASALT_FAULT_POINT=write.after_append ... write.after_publish), for each kind
of write: INSERT ... SELECT, INSERT OVERWRITE, CREATE TABLE AS, CREATE OR
REPLACE TABLE AS, INSERTs into a table partitioned by day spanning several
days (in time order, and in no order over more days than a write keeps
segments open for), an INSERT OVERWRITE of some of its days. Then basalt
starts again without the variable and the test checks:

- the table holds exactly its old rows (count and sum) or exactly its new ones:
  the new after write.after_publish (the commit point is behind it), the old
  at every point before;
- staging/ is empty, and warehouse/main/<table>/ holds exactly the segments the
  table uses (compared with the metadata store, and sys.segments when it
  exists), whose rows add up to the table's count;
- a further write and another restart still add up.

Then a loop of INSERTs (and overwrites) is killed from outside at random
moments, several times, with the same checks.

Run by ctest (tests/storage/CMakeLists.txt) with BASALT_BIN set.
"""

import os
import random
import shutil
import signal
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storage_util import StorageTestCase, finish, parse_csv, run_basalt, start_basalt  # noqa: E402

FAULT_POINTS = ["write.after_append", "write.after_staging", "write.after_first_move",
                "write.before_publish", "write.after_publish"]


def id_sum(lo, hi):
    return sum(range(lo, hi))


# Each kind of write: the table it writes, the statements that set up the
# old state, the write, the (count, sum(id)) before and after it (None: the
# table does not exist), and a further write for after the restart, with the
# rows it adds.
KINDS = {
    "insert_select": dict(
        table="t",
        setup=["CREATE TABLE t (id BIGINT, v VARCHAR, d DATE)",
               "INSERT INTO t SELECT i, 'old-' || i, DATE '2024-01-01' + CAST(i % 30 AS INTEGER) "
               "FROM range(1000) r(i)"],
        write="INSERT INTO t SELECT i, 'new-' || i, DATE '2024-02-01' + CAST(i % 30 AS INTEGER) "
              "FROM range(1000, 21000) r(i)",
        old=(1000, id_sum(0, 1000)),
        new=(21000, id_sum(0, 21000)),
    ),
    "insert_overwrite": dict(
        table="t",
        setup=["CREATE TABLE t (id BIGINT, v VARCHAR, d DATE)",
               "INSERT INTO t SELECT i, 'old-' || i, DATE '2024-01-01' + CAST(i % 30 AS INTEGER) "
               "FROM range(1000) r(i)"],
        write="INSERT OVERWRITE t SELECT i, 'new-' || i, DATE '2024-02-01' + CAST(i % 30 AS INTEGER) "
              "FROM range(5000, 25000) r(i)",
        old=(1000, id_sum(0, 1000)),
        new=(20000, id_sum(5000, 25000)),
    ),
    "create_table_as": dict(
        table="c",
        setup=["CREATE TABLE src (id BIGINT, v VARCHAR, d DATE)",
               "INSERT INTO src SELECT i, 'src-' || i, DATE '2024-01-01' + CAST(i % 30 AS INTEGER) "
               "FROM range(20000) r(i)"],
        write="CREATE TABLE c AS SELECT * FROM src",
        old=None,
        new=(20000, id_sum(0, 20000)),
    ),
    "create_or_replace_table_as": dict(
        table="c",
        setup=["CREATE TABLE src (id BIGINT, v VARCHAR, d DATE)",
               "INSERT INTO src SELECT i, 'src-' || i, DATE '2024-01-01' + CAST(i % 30 AS INTEGER) "
               "FROM range(20000) r(i)",
               "CREATE TABLE c (id BIGINT, v VARCHAR, d DATE)",
               "INSERT INTO c SELECT i, 'old-' || i, DATE '2024-01-01' FROM range(1000) r(i)"],
        write="CREATE OR REPLACE TABLE c AS SELECT * FROM src",
        old=(1000, id_sum(0, 1000)),
        new=(20000, id_sum(0, 20000)),
    ),
    "partitioned_insert": dict(
        table="p",
        # 1000 rows on 2024-01-01 and 02; the write adds 20000 rows from
        # 2024-01-02 to 2024-01-08: one existing chunk and six new ones.
        setup=["CREATE TABLE p (ts TIMESTAMP, id BIGINT, v VARCHAR) PARTITION BY day(ts)",
               "INSERT INTO p SELECT TIMESTAMP '2024-01-01 00:00:00' + i * INTERVAL '2 minute', i, "
               "'old-' || i FROM range(1000) r(i)"],
        write="INSERT INTO p SELECT TIMESTAMP '2024-01-02 00:00:00' + (i - 1000) * INTERVAL '30 second', "
              "i, 'new-' || i FROM range(1000, 21000) r(i)",
        old=(1000, id_sum(0, 1000)),
        new=(21000, id_sum(0, 21000)),
    ),
    "partitioned_overwrite": dict(
        table="po",
        # Old rows on 2024-01-01 (ids 0..719) and 02; the overwrite writes 02
        # and 03, so it replaces the 02 chunk and keeps 01.
        setup=["CREATE TABLE po (ts TIMESTAMP, id BIGINT, v VARCHAR) PARTITION BY day(ts)",
               "INSERT INTO po SELECT TIMESTAMP '2024-01-01 00:00:00' + i * INTERVAL '2 minute', i, "
               "'old-' || i FROM range(1000) r(i)"],
        write="INSERT OVERWRITE po SELECT TIMESTAMP '2024-01-02 00:00:00' + (i - 1000) * "
              "INTERVAL '1 minute', i, 'new-' || i FROM range(1000, 3880) r(i)",
        old=(1000, id_sum(0, 1000)),
        new=(720 + 2880, id_sum(0, 720) + id_sum(1000, 3880)),
    ),
    "partitioned_insert_unordered": dict(
        table="q",
        # Rows over 17 days in no time order: more chunks than a write keeps
        # segments open for (16), so segments are finished as others open,
        # and the write moves dozens of segments.
        setup=["CREATE TABLE q (ts TIMESTAMP, id BIGINT, v VARCHAR) PARTITION BY day(ts)",
               "INSERT INTO q SELECT TIMESTAMP '2024-01-01 00:00:00' + i * INTERVAL '2 minute', i, "
               "'old-' || i FROM range(1000) r(i)"],
        write="INSERT INTO q SELECT TIMESTAMP '2024-01-01 00:00:00' + (i % 17) * INTERVAL '1 day' "
              "+ (i % 1440) * INTERVAL '1 minute', i, 'new-' || i FROM range(1000, 9000) r(i)",
        old=(1000, id_sum(0, 1000)),
        new=(9000, id_sum(0, 9000)),
    ),
}

MORE_LO, MORE_HI = 1_000_000, 1_000_100  # ids of the further write after the restart


def further_write(kind, table_exists):
    """A write after the restart: an INSERT, or for CREATE TABLE AS whose
    table is not there, the CREATE TABLE AS again (nothing left over may stop it)."""
    if kind == "create_table_as" and not table_exists:
        return ("CREATE TABLE c AS SELECT * FROM src WHERE id < 100", 100, id_sum(0, 100))
    if kind.startswith("partitioned"):
        return (f"INSERT INTO {KINDS[kind]['table']} SELECT TIMESTAMP '2024-01-05 12:00:00', i, 'more' "
                f"FROM range({MORE_LO}, {MORE_HI}) r(i)", 100, id_sum(MORE_LO, MORE_HI))
    table = KINDS[kind]["table"]
    return (f"INSERT INTO {table} SELECT i, 'more', DATE '2024-03-01' "
            f"FROM range({MORE_LO}, {MORE_HI}) r(i)", 100, id_sum(MORE_LO, MORE_HI))


class FaultPointTest(StorageTestCase):
    def table_state(self, table):
        """(count, sum(id)) of the table, or None if it does not exist."""
        result = run_basalt(self.data_dir, f"SELECT count(*), sum(id) FROM {table}")
        if result.returncode != 0:
            self.assertEqual(result.sqlstates(), ["42P01"],
                             "reading the table after the restart failed:\n" + result.describe())
            return None
        count, total = parse_csv(result.stdout)[1]
        return int(count), int(total) if total else 0

    def check_kill(self, kind, point, template):
        spec = KINDS[kind]
        table = spec["table"]
        shutil.rmtree(self.data_dir)
        shutil.copytree(template, self.data_dir)

        killed = finish(start_basalt(self.data_dir, "-c", spec["write"],
                                     env={"BASALT_FAULT_POINT": point}))
        self.assertEqual(killed.returncode, -signal.SIGKILL,
                         f"the write should have died by SIGKILL at {point}:\n" + killed.describe())
        # The kill left what the fault point promises for the restart to clean up.
        before = set(os.listdir(os.path.join(template, "warehouse", "main", table))
                     if os.path.isdir(os.path.join(template, "warehouse", "main", table)) else [])
        after = set(self.segment_directories(table))
        staged = self.staging_entries()
        if point in ("write.after_append", "write.after_staging"):
            self.assertNotEqual(staged, [], f"a kill at {point} left nothing in staging/")
            self.assertEqual(after, before, f"a kill at {point} moved segments into the warehouse")
        else:
            self.assertTrue(after > before,
                            f"a kill at {point} left no new segment directory in the warehouse "
                            f"(before {sorted(before)}, after {sorted(after)})")

        expected = spec["new"] if point == "write.after_publish" else spec["old"]
        state = self.table_state(table)
        self.assertIn(state, (spec["old"], spec["new"]),
                      f"after a kill at {point} the table holds neither its old rows "
                      f"{spec['old']} nor its new {spec['new']} (count, sum): a mix")
        self.assertEqual(state, expected,
                         f"after a kill at {point} the table should hold its "
                         f"{'new' if point == 'write.after_publish' else 'old'} rows")
        if kind in ("create_table_as", "create_or_replace_table_as"):
            self.assertEqual(self.table_state("src"), (20000, id_sum(0, 20000)),
                             "CREATE TABLE AS changed its source")
        self.assert_storage_consistent(table, None if state is None else state[0])

        # A further write, and another restart: everything still adds up.
        sql, rows, total = further_write(kind, state is not None)
        self.ok(sql)
        after = (rows, total) if state is None else (state[0] + rows, state[1] + total)
        self.assertEqual(self.table_state(table), after,
                         f"after a kill at {point}, restart and a further write")
        self.assertEqual(self.table_state(table), after, "after a second restart")
        self.assert_storage_consistent(table, after[0])

    def test_fault_points(self):
        for kind, spec in KINDS.items():
            template = tempfile.mkdtemp(prefix=f"basalt-template-{kind}-")
            self.addCleanup(shutil.rmtree, template, True)
            self.ok(*spec["setup"], data_dir=template)
            for point in FAULT_POINTS:
                with self.subTest(kind=kind, fault_point=point):
                    self.check_kill(kind, point, template)


class ExternalKillTest(StorageTestCase):
    """SIGKILL from outside at random moments of a loop of writes."""

    BATCH = 30000         # rows per INSERT
    STATEMENTS = 200      # more than ever finish before the kill
    ROUNDS = 6

    def batch_sum(self, b):
        return id_sum(b * self.BATCH, (b + 1) * self.BATCH)

    def write_script(self, first_batch):
        """INSERTs of batch b into k (unpartitioned) and then into pk
        (partitioned by day, each batch over three days), and every fourth
        step an INSERT OVERWRITE of k with its own rows, which changes nothing
        visible, so any state after a crash is: k holds batches 0..a-1, pk
        0..b-1, b in (a - 1, a)."""
        lines = []
        for b in range(first_batch, first_batch + self.STATEMENTS):
            lo, hi = b * self.BATCH, (b + 1) * self.BATCH
            lines.append(f"INSERT INTO k SELECT {b}, i, 'k-' || i FROM range({lo}, {hi}) r(i);")
            lines.append(f"INSERT INTO pk SELECT TIMESTAMP '2024-01-01 00:00:00' + "
                         f"(i % 3) * INTERVAL '1 day' + {b} * INTERVAL '3 day', {b}, i "
                         f"FROM range({lo}, {hi}) r(i);")
            if b % 4 == 3:
                lines.append("INSERT OVERWRITE k SELECT * FROM k;")
        path = os.path.join(self.script_dir, "loop.sql")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def catch_up_pk(self, done_k, done_pk):
        """Batches are numbered by k's count and pk may be one behind after a
        kill: that batch is written to pk before the next script starts."""
        if done_pk < done_k:
            self.ok(f"INSERT INTO pk SELECT TIMESTAMP '2024-01-01 00:00:00' + "
                    f"(i % 3) * INTERVAL '1 day' + {done_pk} * INTERVAL '3 day', {done_pk}, i "
                    f"FROM range({done_pk * self.BATCH}, {done_k * self.BATCH}) r(i)")
        return done_k

    def batches(self, table):
        rows = self.query(f"SELECT batch, count(*), sum(id) FROM {table} GROUP BY batch ORDER BY batch")
        return [(int(b), int(c), int(s)) for b, c, s in rows]

    def check_state(self, context):
        """Returns how many batches k holds, after checking the invariants."""
        k = self.batches("k")
        pk = self.batches("pk")
        a, b = len(k), len(pk)
        expected_k = [(i, self.BATCH, self.batch_sum(i)) for i in range(a)]
        self.assertEqual(k, expected_k, f"{context}: k does not hold whole batches 0..{a - 1}")
        expected_pk = [(i, self.BATCH, self.batch_sum(i)) for i in range(b)]
        self.assertEqual(pk, expected_pk, f"{context}: pk does not hold whole batches 0..{b - 1}")
        self.assertIn(b, (a - 1, a) if a > 0 else (0,),
                      f"{context}: k has {a} batches but pk {b}: a write was lost or reordered")
        self.assert_storage_consistent("k", a * self.BATCH)
        self.assert_storage_consistent("pk", b * self.BATCH)
        return a, b

    def test_random_kills(self):
        seed = int(os.environ.get("BASALT_KILL_SEED", time.time_ns() % 1_000_000))
        rng = random.Random(seed)
        print(f"random kill moments from BASALT_KILL_SEED={seed}", file=sys.stderr)
        self.script_dir = tempfile.mkdtemp(prefix="basalt-kill-script-")
        self.addCleanup(shutil.rmtree, self.script_dir, True)
        self.ok("CREATE TABLE k (batch INTEGER, id BIGINT, v VARCHAR)",
                "CREATE TABLE pk (ts TIMESTAMP, batch INTEGER, id BIGINT) PARTITION BY day(ts)")
        done_k, done_pk = 0, 0
        killed_mid_run = 0
        for round_number in range(self.ROUNDS):
            context = f"round {round_number} (BASALT_KILL_SEED={seed})"
            done_pk = self.catch_up_pk(done_k, done_pk)
            script = self.write_script(done_k)
            process = start_basalt(self.data_dir, "-f", script)
            time.sleep(rng.uniform(0.05, 0.6))
            process.send_signal(signal.SIGKILL)
            result = finish(process)
            if result.returncode == -signal.SIGKILL:
                killed_mid_run += 1
            else:
                self.assertEqual(result.returncode, 0, f"{context}:\n" + result.describe())
            done_k, done_pk = self.check_state(f"{context}, after a kill at a random moment")
        self.assertGreater(killed_mid_run, 0, "no round was killed while writing")
        # After all that, more writes without a kill add up too.
        self.catch_up_pk(done_k, done_pk)
        self.ok(f"INSERT INTO k SELECT {done_k}, i, 'k-' || i "
                f"FROM range({done_k * self.BATCH}, {(done_k + 1) * self.BATCH}) r(i)")
        a, b = self.check_state(f"after the kills (BASALT_KILL_SEED={seed}) and more writes")
        self.assertEqual((a, b), (done_k + 1, done_k))


if __name__ == "__main__":
    unittest.main()
