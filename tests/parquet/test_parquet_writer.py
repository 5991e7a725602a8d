"""DuckDB reading Parquet files that Basalt wrote (docs/parquet.md, Writer).

Basalt COPYs a query covering every type it writes (NULLs everywhere,
negative values, unicode, empty and long strings, decimals of each storage
width, several row groups) to Parquet with each codec; DuckDB
(read_with_duckdb.mjs) reads every file and writes it as CSV, which must equal
Basalt's own CSV of the same query, floating point columns compared by value
as in test_parquet_interop.py. DuckDB's view of the metadata (codec,
statistics) is checked too.

Environment: BASALT_BIN, NODE, DUCKDB_NODE_MODULES, as test_parquet_interop.py.
"""

import json
import math
import os
import shutil
import subprocess
import tempfile
import unittest

from test_parquet_interop import float_value, parse_csv, run_basalt, NODE, TIMEOUT

HERE = os.path.dirname(os.path.abspath(__file__))

QUERY = """
SELECT
  i AS id,
  CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
  CAST(i * 37 % 65536 - 32768 AS SMALLINT) AS i16,
  CASE WHEN i % 5 = 0 THEN NULL ELSE CAST(i * 2654435761 % 4294967296 - 2147483648 AS INTEGER) END AS i32,
  CASE WHEN i % 9 = 0 THEN NULL ELSE CAST(i AS BIGINT) * 1000003 * 1000003 * 7 - 5000000000000 END AS i64,
  CASE i % 13 WHEN 1 THEN CAST('inf' AS REAL) WHEN 2 THEN CAST('-inf' AS REAL) WHEN 3 THEN NULL
    ELSE CAST(i / 7.0 AS REAL) END AS f32,
  CASE i % 17 WHEN 1 THEN CAST('inf' AS DOUBLE) WHEN 2 THEN CAST('-inf' AS DOUBLE) WHEN 3 THEN NULL
    ELSE (i - 3000) / 7.0 * 1e10 END AS f64,
  CASE WHEN i % 6 = 0 THEN NULL ELSE CAST(CAST(i % 9999 - 4999 AS VARCHAR) || '.' || CAST(i % 100 AS VARCHAR) AS DECIMAL(6,2)) END AS dec6,
  CAST(CAST(i * 7919 % 1999999 - 999999 AS VARCHAR) || '.' || CAST(i % 1000 AS VARCHAR) AS DECIMAL(9,3)) AS dec9,
  CAST(CAST(i * 123456789 - 300000000000 AS VARCHAR) || '.' || CAST(i % 1000000 AS VARCHAR) AS DECIMAL(18,6)) AS dec18,
  CASE WHEN i % 8 = 0 THEN NULL ELSE
    CAST((CASE WHEN i % 3 = 0 THEN '-' ELSE '' END) || CAST(i * 7919 AS VARCHAR) || '9999999999999999'
         || '.' || CAST(i * 104729 % 10000000000 AS VARCHAR) AS DECIMAL(38,10)) END AS dec38,
  CASE WHEN i % 10 = 0 THEN NULL ELSE DATE '1970-01-01' + (i * 37 % 100000 - 50000) END AS d,
  CASE WHEN i % 11 = 0 THEN NULL ELSE
    TIMESTAMP '1960-01-01 00:00:00' + (i * 987654321) * INTERVAL '1 microsecond' END AS ts,
  CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'ünïcødé ✓ 日本語'
    WHEN 3 THEN 'with "quote", comma' ELSE 'v' || CAST(i % 50 AS VARCHAR) END AS s,
  CASE WHEN i % 4 = 0 THEN NULL ELSE repeat('x', i % 700) || CAST(i AS VARCHAR) END AS long_s
FROM generate_series(0, 4999) t(i)
"""
FLOAT_COLUMNS = {"f32", "f64"}
REAL_COLUMNS = {"f32"}
CODECS = ["snappy", "zstd", "gzip", "lz4", "uncompressed"]
DUCKDB_CODEC = {"snappy": "SNAPPY", "zstd": "ZSTD", "gzip": "GZIP", "lz4": "LZ4_RAW",
                "uncompressed": "UNCOMPRESSED"}


class ParquetWriterInteropTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="basalt_parquet_writer_")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def basalt_ok(self, sql):
        r = run_basalt(sql)
        self.assertEqual(r.returncode, 0, f"{sql}\nstderr: {r.stderr}")
        return r.stdout

    def duckdb_read(self, files):
        args = []
        for f in files:
            args += [f, f + ".csv"]
        subprocess.run([NODE, os.path.join(HERE, "read_with_duckdb.mjs"), *args], check=True,
                       timeout=TIMEOUT)

    def compare(self, name, expected_text, actual_text):
        expected, actual = parse_csv(expected_text), parse_csv(actual_text)
        header = [f for f, _ in expected[0]]
        self.assertEqual([f for f, _ in actual[0]], header, name + ": header")
        self.assertEqual(len(actual), len(expected), name + ": row count")
        for r, (a_row, e_row) in enumerate(zip(actual[1:], expected[1:]), start=1):
            self.assertEqual(len(a_row), len(e_row), f"{name} row {r}")
            for c, (a, e) in enumerate(zip(a_row, e_row)):
                where = f"{name} row {r} column {header[c]}: DuckDB {a!r} vs Basalt {e!r}"
                self.assertEqual(a[1] or a[0] != "", e[1] or e[0] != "", "NULL: " + where)
                if header[c] in FLOAT_COLUMNS and e[0] != "":
                    real = header[c] in REAL_COLUMNS
                    av, ev = float_value(a[0], real), float_value(e[0], real)
                    self.assertTrue(av == ev or (math.isnan(av) and math.isnan(ev)), where)
                else:
                    self.assertEqual(a[0], e[0], where)

    def test_duckdb_reads_every_codec(self):
        expected = self.basalt_ok(f"SELECT * FROM ({QUERY}) q ORDER BY id")
        files = []
        for codec in CODECS:
            path = os.path.join(self.dir, f"all_{codec}.parquet")
            # Ordered, so each row group holds a known range of ids.
            self.basalt_ok(f"COPY (SELECT * FROM ({QUERY}) q ORDER BY id) TO '{path}' "
                           f"(FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 2000)")
            files.append(path)
        self.duckdb_read(files)
        for codec, path in zip(CODECS, files):
            with open(path + ".csv", encoding="utf-8") as f:
                self.compare(codec, expected, f.read())
            with open(path + ".csv.meta.json") as f:
                meta = json.load(f)
            self.assertEqual({int(m["row_group_id"]) for m in meta}, {0, 1, 2}, codec)
            self.assertEqual({m["compression"] for m in meta}, {DUCKDB_CODEC[codec]}, codec)
            # Statistics as DuckDB reads them: the id column's range per row group.
            ids = sorted((int(m["row_group_id"]), m["stats_min_value"], m["stats_max_value"])
                         for m in meta if m["path_in_schema"] == "id")
            self.assertEqual(ids, [(0, "0", "1999"), (1, "2000", "3999"), (2, "4000", "4999")])
        # Basalt reads its own files back to the same rows.
        for path in files[:1]:
            self.compare("basalt " + path, expected,
                         self.basalt_ok(f"SELECT * FROM '{path}' ORDER BY id"))

    def test_copy_table_and_empty_result(self):
        table = os.path.join(self.dir, "table.parquet")
        empty = os.path.join(self.dir, "empty.parquet")
        self.basalt_ok(f"CREATE TABLE t AS {QUERY}; COPY t TO '{table}'; "
                       f"COPY (SELECT * FROM t WHERE id < 0) TO '{empty}' (FORMAT parquet)")
        self.duckdb_read([table, empty])
        expected = self.basalt_ok(f"SELECT * FROM ({QUERY}) q ORDER BY id")
        with open(table + ".csv", encoding="utf-8") as f:
            self.compare("table", expected, f.read())
        with open(empty + ".csv", encoding="utf-8") as f:
            self.compare("empty", expected.split("\n", 1)[0] + "\n", f.read())


if __name__ == "__main__":
    unittest.main()
