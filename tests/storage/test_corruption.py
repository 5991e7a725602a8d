"""Damaged data directories (docs/managed_storage.md, "What is promised";
docs/segment_format.md, "What the reader promises on bad input").

Two tables t1 and t2 (VARCHAR, INTEGER, DATE) are written and the process
ends; then t1's segment file is damaged: one byte flipped in the middle (in a
column block, found by reading the footer), the tail cut off, the file
replaced by zeros, the file deleted. Each time a query over t1 fails with
XX001 (damage) or 58P01 (missing file), the message names the segment (its
directory name is the segment id) and, for a damaged block, the column; the
shell fails the ordinary way (exit status 1, no signal), and in one
interactive session t2 stays readable after t1's error.

Also: garbage over system/metadata.db is refused at start with 58030 and
exit status 2 (no crash, the segment files kept); an emptied metadata store
does not make the start-up delete the warehouse; a second process on a data
directory in use gets 55006.

Run by ctest (tests/storage/CMakeLists.txt) with BASALT_BIN set.
"""

import os
import shutil
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storage_util import StorageTestCase, Terminal, run_basalt  # noqa: E402

ROWS_T1 = 6000
ROWS_T2 = 4000
T1_QUERY = "SELECT sum(id), max(name), max(d) FROM t1"

# common/types.h TypeId values whose zone-map bounds are 8-byte integers.
INT64_BOUNDS = {3, 4, 5, 10, 11}  # SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP
VARCHAR = 9


class Footer:
    """Just enough of docs/segment_format.md to find the byte range of every
    region of a segment file: [(part, column, offset, size)]."""

    def __init__(self, data):
        self.data = data
        (length,) = struct.unpack_from("<Q", data, len(data) - 32)
        self.pos = len(data) - 32 - length
        self.regions = []
        rows, block_rows = self.varint(), self.varint()
        blocks = (rows + block_rows - 1) // block_rows
        columns = self.varint()
        for _ in range(columns):
            name = self.bytes(self.varint()).decode()
            type_id = self.u8()
            self.u8()  # precision
            self.u8()  # scale
            self.varint()  # null count
            flags = self.u8()
            if flags & 1:
                self.varint()  # dictionary size
                self.region("dictionary", name)
            if flags & 2:
                self.region("bitmap directory", name)
                self.regions.append(("bitmap index", name, self.varint(), self.varint()))
            for block in range(blocks):
                self.region(f"block {block} of {blocks}", name)
                self.u8()  # encoding
                self.varint()  # null count
                self.zone_map(type_id)

    def u8(self):
        self.pos += 1
        return self.data[self.pos - 1]

    def bytes(self, n):
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def varint(self):
        value, shift = 0, 0
        while True:
            b = self.u8()
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return value

    def region(self, part, column):
        offset, stored = self.varint(), self.varint()
        self.varint()  # raw size
        self.u8()  # compression
        self.bytes(8)  # checksum
        self.regions.append((part, column, offset, stored))

    def zone_map(self, type_id):
        flags = self.u8()
        for bit in (1, 2):
            if flags & bit:
                if type_id in INT64_BOUNDS:
                    self.bytes(8)
                elif type_id == VARCHAR:
                    self.bytes(self.varint())
                else:
                    raise AssertionError(f"test footer reader: no zone map for type {type_id}")


class CorruptionTest(StorageTestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = tempfile.mkdtemp(prefix="basalt-corruption-template-")
        result = run_basalt(
            cls.template,
            "CREATE TABLE t1 (id INTEGER, name VARCHAR, d DATE)",
            # Distinct names: the column gets no segment dictionary, so its
            # blocks are most of the file and its middle is in one of them.
            f"INSERT INTO t1 SELECT CAST(i AS INTEGER), 'name-' || CAST(i * 7919 AS VARCHAR), "
            f"DATE '2020-01-01' + CAST(i % 1000 AS INTEGER) FROM range({ROWS_T1}) r(i)",
            "CREATE TABLE t2 (id INTEGER, name VARCHAR, d DATE)",
            f"INSERT INTO t2 SELECT CAST(i AS INTEGER), 'n' || CAST(i % 10 AS VARCHAR), "
            f"DATE '2021-01-01' + CAST(i % 365 AS INTEGER) FROM range({ROWS_T2}) r(i)")
        assert result.returncode == 0, result.describe()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.template, True)

    def setUp(self):
        super().setUp()
        shutil.rmtree(self.data_dir)
        shutil.copytree(self.template, self.data_dir)
        segments = os.listdir(self.path("warehouse", "main", "t1"))
        self.assertEqual(len(segments), 1, f"t1 should have one segment: {segments}")
        self.segment_id = segments[0]
        self.segment_file = self.path("warehouse", "main", "t1", self.segment_id, "data.bsg")

    def check_t1_fails(self, sqlstate, *must_name):
        """Queries over t1 fail the ordinary way, naming the segment and `must_name`;
        t2 stays readable in the same (interactive) session."""
        result = self.fails(sqlstate, T1_QUERY)
        self.assertIn(self.segment_id, result.stderr,
                      "the error does not name the segment (its directory)")
        for part in must_name:
            self.assertIn(part, result.stderr, f"the error does not name {part}")

        terminal = Terminal(self.data_dir)
        try:
            rows, errors, text = terminal.run(T1_QUERY)
            self.assertEqual(errors, [sqlstate], f"query over t1 in a session:\n{text}")
            self.assertIn(self.segment_id, text)
            rows, errors, text = terminal.run("SELECT count(*) FROM t2")
            self.assertEqual((rows, errors), ([[str(ROWS_T2)]], []),
                             f"t2 is not readable after t1's error:\n{text}")
            rows, errors, text = terminal.run(
                "SELECT sum(id), max(name), min(d), max(d) FROM t2")
            self.assertEqual((rows, errors),
                             ([[str(sum(range(ROWS_T2))), "n9", "2021-01-01", "2021-12-31"]], []),
                             text)
            rows, errors, text = terminal.run(
                "SELECT name, count(*) FROM t2 WHERE name IN ('n3', 'n4') GROUP BY name ORDER BY name")
            self.assertEqual((rows, errors), ([["n3", "400"], ["n4", "400"]], []), text)
            # The damage is reported again, the same way, not cached as something else.
            rows, errors, text = terminal.run(T1_QUERY)
            self.assertEqual(errors, [sqlstate], f"the second query over t1:\n{text}")
            self.assertEqual(terminal.quit(), 0, "the interactive session did not end normally")
        finally:
            terminal.close()

    def test_flipped_byte_in_a_block(self):
        with open(self.segment_file, "rb") as f:
            data = bytearray(f.read())
        regions = Footer(bytes(data)).regions
        middle = len(data) // 2
        blocks = [r for r in regions if r[0].startswith("block ")]
        found = [r for r in blocks if r[2] <= middle < r[2] + r[3]]
        # The middle of the file is in a block of the name column; if the
        # layout ever changes, the middle of the largest block is.
        part, column, offset, size = found[0] if found else max(blocks, key=lambda r: r[3])
        position = middle if found else offset + size // 2
        data[position] ^= 0x5A
        with open(self.segment_file, "wb") as f:
            f.write(data)
        self.check_t1_fails("XX001", f'column "{column}" {part}', "data.bsg")

    def test_every_part_of_a_segment(self):
        """A byte flipped in each part of t2's segment (whose name column has
        a dictionary and a bitmap index) in turn: the query reading that part
        fails with XX001 naming the column and the part."""
        t2_segment = self.segment_directories("t2")[0]
        t2_file = self.path("warehouse", "main", "t2", t2_segment, "data.bsg")
        with open(t2_file, "rb") as f:
            original = f.read()
        regions = Footer(original).regions
        parts = {part for part, _, _, _ in regions}
        self.assertTrue({"dictionary", "bitmap directory", "bitmap index"} <= parts,
                        f"t2's name column should have a dictionary and a bitmap index: {regions}")
        scan = "SELECT sum(id), max(name), max(d) FROM t2"
        lookup = ("SELECT count(*) FROM t2 WHERE name IN "
                  "('n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9')")
        footer_start = len(original) - 32 - struct.unpack_from("<Q", original, len(original) - 32)[0]
        cases = [(part, f'column "{column}" {part}', offset + size // 2,
                  lookup if part.startswith("bitmap") else scan)
                 for part, column, offset, size in regions]
        cases += [("header", "header", 8, scan),
                  ("footer", "footer", (footer_start + len(original) - 32) // 2, scan),
                  ("trailer", "trailer", len(original) - 12, scan)]
        for part, named, position, sql in cases:
            with self.subTest(part=named):
                damaged = bytearray(original)
                damaged[position] ^= 0x5A
                with open(t2_file, "wb") as f:
                    f.write(damaged)
                result = self.fails("XX001", sql)
                self.assertIn(f"{t2_segment}/data.bsg", result.stderr, result.describe())
                self.assertIn(f"is corrupt: {named}", result.stderr, result.describe())
                # t1 is untouched by t2's damage.
                self.assertEqual(self.count_and_sum("t1"), (ROWS_T1, sum(range(ROWS_T1))))
        with open(t2_file, "wb") as f:
            f.write(original)
        self.assertEqual(self.count_and_sum("t2"), (ROWS_T2, sum(range(ROWS_T2))))

    def test_cut_tail(self):
        size = os.path.getsize(self.segment_file)
        os.truncate(self.segment_file, size - size // 3)
        self.check_t1_fails("XX001", "data.bsg")

    def test_zeros(self):
        size = os.path.getsize(self.segment_file)
        with open(self.segment_file, "wb") as f:
            f.write(bytes(size))
        self.check_t1_fails("XX001", "data.bsg")

    def test_deleted_file(self):
        os.remove(self.segment_file)
        self.check_t1_fails("58P01", "missing")

    def test_deleted_segment_directory(self):
        shutil.rmtree(self.path("warehouse", "main", "t1", self.segment_id))
        self.check_t1_fails("58P01", "missing")


class MetadataStoreTest(StorageTestCase):
    def setUp(self):
        super().setUp()
        self.ok("CREATE TABLE t (id INTEGER, name VARCHAR, d DATE)",
                "INSERT INTO t SELECT CAST(i AS INTEGER), 'x' || CAST(i AS VARCHAR), "
                "DATE '2024-01-01' FROM range(3000) r(i)")
        self.store = self.path("system", "metadata.db")
        self.segments = self.segment_directories("t")
        self.assertEqual(len(self.segments), 1)
        leftovers = [f for f in os.listdir(self.path("system")) if f.startswith("metadata.db-")]
        self.assertEqual(leftovers, [], "the WAL was not checkpointed at a clean exit")

    def assert_refused_at_start(self, sqlstate, what):
        result = run_basalt(self.data_dir, "SELECT count(*) FROM t")
        self.assertGreaterEqual(result.returncode, 0, "the shell crashed:\n" + result.describe())
        self.assertEqual(result.returncode, 2,
                         "a database that cannot be opened is exit status 2:\n" + result.describe())
        self.assertIn(what, result.stderr, result.describe())
        self.assertEqual(self.segment_directories("t"), self.segments,
                         "a start that failed touched the warehouse")
        self.assertIn(f"(SQLSTATE {sqlstate})", result.stderr,
                      "the start-up error does not give its SQLSTATE:\n" + result.describe())

    def test_garbage_metadata_store(self):
        with open(self.store, "rb") as f:
            original = f.read()
        with open(self.store, "wb") as f:
            f.write(bytes((i * 131 + 7) % 256 for i in range(len(original))))
        self.assert_refused_at_start("58030", "metadata.db")
        # The store back as it was: everything is there again.
        with open(self.store, "wb") as f:
            f.write(original)
        self.assertEqual(self.count_and_sum("t"), (3000, sum(range(3000))))

    def test_emptied_metadata_store_keeps_the_warehouse(self):
        # A store that lost its contents (truncated to nothing) must not
        # make the start-up delete every segment as unknown.
        os.truncate(self.store, 0)
        result = run_basalt(self.data_dir, "SELECT 1")
        self.assertIn(result.returncode, (0, 1, 2), "the shell crashed:\n" + result.describe())
        self.assertEqual(self.segment_directories("t"), self.segments,
                         "with an empty metadata store the start-up deleted the table's segment "
                         "files (data loss):\n" + result.describe())

    def test_second_process_gets_55006(self):
        first = Terminal(self.data_dir)
        try:
            rows, errors, text = first.run("SELECT count(*) FROM t")
            self.assertEqual((rows, errors), ([["3000"]], []), text)
            result = run_basalt(self.data_dir, "SELECT count(*) FROM t")
            self.assertEqual(result.returncode, 2, result.describe())
            self.assertIn("in use by another Basalt process", result.stderr, result.describe())
            # The first process carries on, writes included.
            rows, errors, text = first.run(
                "INSERT INTO t SELECT CAST(i AS INTEGER), 'y', DATE '2024-01-02' FROM range(3000, 3010) r(i)")
            self.assertEqual(errors, [], text)
            rows, errors, text = first.run("SELECT count(*) FROM t")
            self.assertEqual((rows, errors), ([["3010"]], []), text)
            self.assertEqual(first.quit(), 0)
        finally:
            first.close()
        # Once it is gone, the directory opens again.
        self.assertEqual(self.count_and_sum("t"), (3010, sum(range(3010))))
        self.assertIn("(SQLSTATE 55006)", result.stderr,
                      "the second process's error does not give its SQLSTATE:\n" + result.describe())


if __name__ == "__main__":
    unittest.main()
