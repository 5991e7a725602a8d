"""Basalt reading Parquet files that DuckDB wrote (docs/parquet.md).

make_files.mjs has DuckDB write files covering every type of the mapping
table, every codec, data pages v1 and v2, dictionary and plain encodings, and
DuckDB's own CSV of each file's rows; Basalt's `--format csv` output of
`SELECT * FROM read_parquet(...)` must match it: exactly, except that floating
point columns are compared by value (DuckDB prints "inf", Basalt
"Infinity"). Then damaged and mismatched inputs: each must fail with a clear
error naming the file, never with a crash.

Environment: BASALT_BIN (the shell binary), NODE (node), DUCKDB_NODE_MODULES
(node_modules holding @duckdb/node-api). Only the standard library is used.
"""

import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import tempfile
import unittest

BASALT_BIN = os.environ.get("BASALT_BIN", "build/basalt")
NODE = os.environ.get("NODE", "node")
HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 120
SQLSTATE_RE = re.compile(r"\(SQLSTATE ([0-9A-Z]{5})\)")


def parse_csv(text):
    """Rows of (field, quoted) pairs: the csv module cannot tell a NULL (an
    empty field) from the empty string (""), which both engines write."""
    rows, row, field, quoted, i, n = [], [], [], False, 0, len(text)
    in_quotes = False
    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"')
                    i += 1
                else:
                    in_quotes = False
            else:
                field.append(c)
        elif c == '"':
            in_quotes = quoted = True
        elif c == ',':
            row.append(("".join(field), quoted))
            field, quoted = [], False
        elif c == '\n':
            row.append(("".join(field), quoted))
            rows.append(row)
            row, field, quoted = [], [], False
        elif c != '\r':
            field.append(c)
        i += 1
    if field or row:
        row.append(("".join(field), quoted))
        rows.append(row)
    return rows


def float_value(text, real):
    lower = text.lower()
    if lower in ("nan", "-nan"):
        return math.nan
    if lower in ("inf", "infinity", "+inf"):
        return math.inf
    if lower in ("-inf", "-infinity"):
        return -math.inf
    v = float(text)
    return struct.unpack("f", struct.pack("f", v))[0] if real else v


def run_basalt(sql, *extra):
    args = [BASALT_BIN, "--format", "csv", *extra, "-c", sql]
    r = subprocess.run(args, capture_output=True, timeout=TIMEOUT)
    # Damaged files may hold strings that are not UTF-8; Basalt passes them on.
    r.stdout = r.stdout.decode("utf-8", errors="replace")
    r.stderr = r.stderr.decode("utf-8", errors="replace")
    return r


class ParquetInteropTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="basalt_parquet_")
        env = dict(os.environ)
        subprocess.run([NODE, os.path.join(HERE, "make_files.mjs"), cls.dir], check=True,
                       env=env, timeout=TIMEOUT)
        with open(os.path.join(cls.dir, "manifest.json")) as f:
            cls.manifest = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def query_ok(self, sql):
        r = run_basalt(sql)
        self.assertEqual(r.returncode, 0, f"{sql}\nstderr: {r.stderr}")
        return r.stdout

    def query_error(self, sql, sqlstate, *needles):
        r = run_basalt(sql)
        self.assertEqual(r.returncode, 1, f"{sql}: expected an error, exit {r.returncode}\n"
                                          f"stdout: {r.stdout[:500]}\nstderr: {r.stderr}")
        self.assertIn(sqlstate, SQLSTATE_RE.findall(r.stderr), r.stderr)
        for needle in needles:
            self.assertIn(needle, r.stderr)
        return r.stderr

    def compare(self, entry, actual_text):
        with open(entry["csv"], encoding="utf-8") as f:
            expected = parse_csv(f.read())
        actual = parse_csv(actual_text)
        self.assertEqual([f for f, _ in actual[0]], [f for f, _ in expected[0]], "header")
        header = [f for f, _ in expected[0]]
        floats = {header.index(c) for c in entry["float_columns"]}
        reals = {header.index(c) for c in entry["real_columns"]}
        self.assertEqual(len(actual), len(expected), f"{entry['name']}: row count")
        for r, (a_row, e_row) in enumerate(zip(actual[1:], expected[1:]), start=1):
            self.assertEqual(len(a_row), len(e_row), f"{entry['name']} row {r}")
            for c, (a, e) in enumerate(zip(a_row, e_row)):
                where = f"{entry['name']} row {r} column {header[c]}: {a!r} vs DuckDB {e!r}"
                self.assertEqual(a[1] or a[0] != "", e[1] or e[0] != "", "NULL: " + where)
                if c in floats and e[0] != "":
                    av, ev = float_value(a[0], c in reals), float_value(e[0], c in reals)
                    if math.isnan(ev):
                        self.assertTrue(math.isnan(av), where)
                    else:
                        self.assertEqual(av, ev, where)
                else:
                    self.assertEqual(a[0], e[0], where)

    def test_every_file_matches_duckdb(self):
        for entry in self.manifest["files"]:
            with self.subTest(file=entry["name"]):
                out = self.query_ok(
                    f"SELECT * FROM read_parquet('{entry['parquet']}') ORDER BY id")
                self.compare(entry, out)

    def test_bare_path_and_projection(self):
        entry = self.manifest["files"][0]
        out = self.query_ok(f"SELECT count(*), count(s_dict), sum(i64), max(d) "
                            f"FROM '{entry['parquet']}'")
        with open(entry["csv"], encoding="utf-8") as f:
            rows = parse_csv(f.read())
        header = [f for f, _ in rows[0]]
        s_dict, i64 = header.index("s_dict"), header.index("i64")
        count_s = sum(1 for r in rows[1:] if r[s_dict][1] or r[s_dict][0] != "")
        total = sum(int(r[i64][0]) for r in rows[1:] if r[i64][0] != "")
        fields = out.splitlines()[1].split(",")
        self.assertEqual(fields[:3], [str(len(rows) - 1), str(count_s), str(total)])

    def test_glob_over_many_files(self):
        pattern = os.path.join(self.dir, "types_v1_*.parquet")
        out = self.query_ok(f"SELECT count(*), count(DISTINCT id) FROM read_parquet('{pattern}')")
        self.assertEqual(out.splitlines()[1], "35000,7000")

    def test_filters(self):
        entry = self.manifest["files"][0]
        out = self.query_ok(f"SELECT count(*) FROM read_parquet('{entry['parquet']}') "
                            f"WHERE id >= 6000 AND s_dict = 'banana'")
        self.assertEqual(out.splitlines()[1], "200")

    def test_row_group_pruning(self):
        """Statistics skip row groups, and never a row that matches: counts
        with pruning predicates on every kind of column equal the counts in
        DuckDB's rows."""
        entry = self.manifest["files"][0]
        with open(entry["csv"], encoding="utf-8") as f:
            rows = parse_csv(f.read())
        header = [f for f, _ in rows[0]]

        def count(column, test):
            c = header.index(column)
            return sum(1 for r in rows[1:] if (r[c][0] != "" or r[c][1]) and test(r[c][0]))

        cases = [
            ("id >= 6000", "id", lambda v: int(v) >= 6000),
            ("id < 100 OR id > 6900", None, None),
            ("i64 < 0", "i64", lambda v: int(v) < 0),
            ("u32 > 4000000000", "u32", lambda v: int(v) > 4000000000),
            ("dec18 BETWEEN -1000 AND 1000", "dec18", lambda v: -1000 <= float(v) <= 1000),
            ("dec38 > 100000000000000000000", "dec38", lambda v: float(v) > 1e20),
            ("dec4 = 12.34", "dec4", lambda v: v == "12.34"),
            ("d < DATE '1900-01-01'", "d", lambda v: v < "1900-01-01"),
            ("ts_ns >= TIMESTAMP '1960-01-01'", "ts_ns", lambda v: v >= "1960-01-01"),
            ("ts_ms < TIMESTAMP '1890-01-01'", "ts_ms", lambda v: v < "1890-01-01"),
            ("f64 > 1e12", "f64", lambda v: float_value(v, False) > 1e12
             or math.isnan(float_value(v, False))),
            ("s_plain < 'c'", "s_plain", lambda v: v.encode() < b"c"),
            ("s_dict = 'banana'", "s_dict", lambda v: v == "banana"),
            ("i8 IS NULL", None, None),
        ]
        pruned_any = False
        for where, column, test in cases:
            with self.subTest(where=where):
                out = self.query_ok(f"EXPLAIN ANALYZE SELECT count(*) FROM "
                                    f"read_parquet('{entry['parquet']}') WHERE {where}")
                m = re.search(r"row_groups_pruned=(\d+) row_groups_total=(\d+)", out)
                self.assertIsNotNone(m, out)
                pruned_any = pruned_any or int(m.group(1)) > 0
                got = self.query_ok(f"SELECT count(*) FROM read_parquet('{entry['parquet']}') "
                                    f"WHERE {where}").splitlines()[1]
                if column:
                    self.assertEqual(int(got), count(column, test), where)
        self.assertTrue(pruned_any)
        out = self.query_ok(f"EXPLAIN ANALYZE SELECT count(*) FROM "
                            f"read_parquet('{entry['parquet']}') WHERE id >= 6500")
        self.assertIn("row_groups_pruned=3 row_groups_total=4", out)

    # --- inputs that must fail cleanly -------------------------------------

    def damaged_copy(self, name, mutate, source=None):
        source = source or self.manifest["files"][0]["parquet"]
        path = os.path.join(self.dir, name)
        with open(source, "rb") as f:
            data = bytearray(f.read())
        data = mutate(data)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_missing_file(self):
        path = os.path.join(self.dir, "no_such.parquet")
        self.query_error(f"SELECT * FROM read_parquet('{path}')", "58P01", path)

    def test_truncated_file(self):
        for keep in (0, 3, 11, 100, 5000):
            with self.subTest(keep=keep):
                path = self.damaged_copy(f"truncated_{keep}.parquet", lambda d: d[:keep])
                self.query_error(f"SELECT * FROM '{path}'", "XX001", path, "corrupt")

    def test_wrong_magic(self):
        def head(d):
            d[0:4] = b"PAR0"
            return d

        def tail(d):
            d[-4:] = b"XYZW"
            return d

        for name, mutate in (("head", head), ("tail", tail)):
            path = self.damaged_copy(f"magic_{name}.parquet", mutate)
            self.query_error(f"SELECT * FROM '{path}'", "XX001", path, "corrupt")

    def test_corrupted_footer(self):
        def length(d):
            d[-8:-4] = struct.pack("<I", len(d) + 10)
            return d

        def garbage(d):
            footer_len = struct.unpack("<I", bytes(d[-8:-4]))[0]
            start = len(d) - 8 - footer_len
            for i in range(start, start + footer_len // 2):
                d[i] = 0xFF
            return d

        for name, mutate in (("length", length), ("garbage", garbage)):
            path = self.damaged_copy(f"footer_{name}.parquet", mutate)
            self.query_error(f"SELECT * FROM '{path}'", "XX001", path, "corrupt")

    def test_corrupted_page(self):
        def zero_first_page(d):
            d[4:4 + 64] = b"\xff" * 64
            return d

        path = self.damaged_copy("page_header.parquet", zero_first_page)
        self.query_error(f"SELECT * FROM '{path}'", "XX001", path, "corrupt", "row group 0")

        def scramble_data(d):
            # The compressed bytes of the first pages: snappy must notice.
            for i in range(40, 4000):
                d[i] = (d[i] * 31 + 7) & 0xFF
            return d

        path = self.damaged_copy("page_data.parquet", scramble_data)
        self.query_error(f"SELECT * FROM '{path}'", "XX001", path, "corrupt")

    def test_random_damage_never_crashes(self):
        rng = random.Random(20261121)
        for n in range(25):
            def flip(d):
                for _ in range(rng.randint(1, 40)):
                    i = rng.randrange(len(d))
                    d[i] = rng.randrange(256)
                return d

            path = self.damaged_copy(f"random_{n}.parquet", flip)
            r = run_basalt(f"SELECT * FROM '{path}'")
            self.assertIn(r.returncode, (0, 1), f"{path}: exit {r.returncode}\n{r.stderr}")
            if r.returncode == 1:
                self.assertRegex(r.stderr, r"SQLSTATE (XX001|0A000)", r.stderr)
                self.assertIn(path, r.stderr)

    def test_random_damage_of_nested_columns_never_crashes(self):
        """Damaged levels and pages of LIST / STRUCT columns: XX001 (or a
        misread value where the format cannot tell), never a crash."""
        rng = random.Random(20261122)
        source = self.nested_file("nested_one_group")["parquet"]
        for n in range(40):
            def flip(d):
                for _ in range(rng.randint(1, 20)):
                    i = rng.randrange(4, len(d) - 8)
                    d[i] = rng.randrange(256)
                return d

            path = self.damaged_copy(f"nested_random_{n}.parquet", flip, source)
            r = run_basalt(f"SELECT * FROM '{path}'")
            self.assertIn(r.returncode, (0, 1), f"{path}: exit {r.returncode}\n{r.stderr}")
            if r.returncode == 1:
                self.assertRegex(r.stderr, r"SQLSTATE (XX001|0A000|54000)", r.stderr)

    def test_glob_with_differing_schemas(self):
        sub = os.path.join(self.dir, "mixed")
        os.makedirs(sub, exist_ok=True)
        a = os.path.join(sub, "a.parquet")
        b = os.path.join(sub, "b.parquet")
        shutil.copy(self.manifest["files"][0]["parquet"], a)
        shutil.copy(self.manifest["errors"]["other_schema"], b)
        self.query_error(f"SELECT * FROM read_parquet('{sub}/*.parquet')", "42804", a, b)

    def test_map_column(self):
        path = self.manifest["errors"]["map"]
        self.query_error(f"SELECT * FROM '{path}'", "0A000", path, '"tags"', "MAP")

    def nested_file(self, name="nested_v1"):
        return next(e for e in self.manifest["files"] if e["name"] == name)

    def test_nested_projection_and_access(self):
        """Nested columns read alone, next to flat ones, and taken apart;
        the counts are DuckDB's (computed here from its text of the rows)."""
        entry = self.nested_file()
        with open(entry["csv"], encoding="utf-8") as f:
            rows = parse_csv(f.read())
        header = [f for f, _ in rows[0]]
        li, st = header.index("li"), header.index("st")
        null_li = sum(1 for r in rows[1:] if r[li][0] == "" and not r[li][1])
        empty_li = sum(1 for r in rows[1:] if r[li][0] == "[]")
        out = self.query_ok(
            f"SELECT count(*) FILTER (WHERE li IS NULL), count(*) FILTER (WHERE len(li) = 0), "
            f"sum(flat), count(st.b), sum(li[1]) FROM '{entry['parquet']}'")
        fields = out.splitlines()[1].split(",")
        self.assertEqual(fields[0], str(null_li))
        self.assertEqual(fields[1], str(empty_li))
        self.assertEqual(fields[2], str(sum(3 * i for i in range(7000))))
        count_b = sum(1 for r in rows[1:] if r[st][0] not in ("",) and "'b': NULL" not in r[st][0])
        self.assertEqual(fields[3], str(count_b))
        expected_sum = sum(i for i in range(7000) if i % 7 != 0 and i % 5 != 0)
        self.assertEqual(fields[4], str(expected_sum))
        # Only the nested column, then a filter on a flat one with pruning.
        out = self.query_ok(f"SELECT sl FROM '{entry['parquet']}' WHERE id = 5")
        self.assertEqual(out.splitlines()[1], "\"{'l': [5, NULL], 'n': z5}\"")
        out = self.query_ok(f"SELECT count(*) FROM '{entry['parquet']}' "
                            f"WHERE id >= 6000 AND li = [6001, -6001, 12002]")
        self.assertEqual(out.splitlines()[1], "1")

    def test_unsigned_out_of_range(self):
        path = self.manifest["errors"]["u64_big"]
        self.query_error(f"SELECT * FROM '{path}'", "0A000", path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
