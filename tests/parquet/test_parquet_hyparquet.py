"""Parquet interop with a second, independent implementation: hyparquet
(JavaScript), installed under tests/parquet/hyparquet/node_modules by
scripts/setup.sh (docs/parquet.md, Tests).

- hyparquet-writer writes files of every type it can (INT32 / INT64 with
  INT_16, UINT_32, DATE, TIMESTAMP millis / micros / nanos and DECIMAL
  annotations, FLOAT, DOUBLE, BOOLEAN, strings, DECIMAL in INT32, INT64,
  FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY), NULLs, REQUIRED columns, its
  encodings (PLAIN, RLE booleans, RLE_DICTIONARY, DELTA_BINARY_PACKED,
  DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT; always data
  pages v2), its codecs (UNCOMPRESSED, SNAPPY, and GZIP through node's zlib),
  several row groups and small pages. Basalt must read exactly the values
  written; a BROTLI file must fail with 0A000.
- Basalt writes every type it writes with every codec (COPY ... TO (FORMAT
  parquet, COMPRESSION ...)); hyparquet with hyparquet-compressors reads each
  file, and its values must equal Basalt's own of the same query.

Values are compared exactly: integers and decimals as integers (hyparquet
reads decimals as their unscaled integers, since it would make them
doubles), floats bit for bit (REAL as float32), dates as days, timestamps as
microseconds. See hyparquet/hyparquet_io.mjs for the typed form.

Environment: BASALT_BIN (the shell binary), NODE (node).
"""

import datetime
import decimal
import json
import math
import os
import shutil
import struct
import subprocess
import tempfile
import unittest

BASALT_BIN = os.environ.get("BASALT_BIN", "build/basalt")
NODE = os.environ.get("NODE", "node")
HERE = os.path.dirname(os.path.abspath(__file__))
IO_SCRIPT = os.path.join(HERE, "hyparquet", "hyparquet_io.mjs")
TIMEOUT = 300
EPOCH = datetime.date(1970, 1, 1)
# Room for DECIMAL(38, s) without rounding (the default context keeps 28 digits).
decimal.getcontext().prec = 80

# Files hyparquet_io.mjs writes, Basalt reads.
WRITTEN_CASES = ["snappy", "uncompressed", "gzip", "small_pages", "one_row_group"]
# Codecs Basalt writes, hyparquet reads.
BASALT_CODECS = ["uncompressed", "snappy", "gzip", "zstd", "lz4"]

# Every type Basalt writes, with NULLs, extremes, unicode and long strings;
# 2,500 rows in row groups of 1,000.
BASALT_QUERY = """
SELECT
  i AS id,
  CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
  CAST(i * 37 % 65536 - 32768 AS SMALLINT) AS i16,
  CASE WHEN i % 5 = 0 THEN NULL ELSE CAST(i * 2654435761 % 4294967296 - 2147483648 AS INTEGER) END AS i32,
  CASE WHEN i = 1 THEN 9223372036854775807 WHEN i = 2 THEN -9223372036854775807 - 1
    WHEN i % 9 = 0 THEN NULL ELSE CAST(i AS BIGINT) * 1000003 * 1000003 * 7 - 5000000000000 END AS i64,
  CASE i % 13 WHEN 1 THEN CAST('inf' AS REAL) WHEN 2 THEN CAST('-inf' AS REAL) WHEN 3 THEN NULL
    WHEN 4 THEN CAST('nan' AS REAL) ELSE CAST(i / 7.0 AS REAL) END AS f32,
  CASE i % 17 WHEN 1 THEN CAST('inf' AS DOUBLE) WHEN 2 THEN CAST('-inf' AS DOUBLE) WHEN 3 THEN NULL
    ELSE (i - 1300) / 7.0 * 1e10 END AS f64,
  CASE WHEN i % 6 = 0 THEN NULL ELSE CAST(CAST(i % 9999 - 4999 AS VARCHAR) || '.' || CAST(i % 100 AS VARCHAR) AS DECIMAL(6,2)) END AS dec6,
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
FROM generate_series(0, 2499) t(i)
"""


def run_basalt(sql):
    r = subprocess.run([BASALT_BIN, "--format", "json", "-c", sql], capture_output=True,
                       timeout=TIMEOUT)
    r.stdout = r.stdout.decode("utf-8", errors="replace")
    r.stderr = r.stderr.decode("utf-8", errors="replace")
    return r


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def float_key(x):
    """A float as a comparable value: NaN equal to NaN, -0.0 kept apart."""
    if math.isnan(x):
        return "nan"
    return (x, math.copysign(1.0, x))


def timestamp_micros(text):
    """Basalt's 'YYYY-MM-DD HH:MM:SS[.ffffff]' as microseconds since 1970."""
    day, clock = text.split(" ")
    seconds, _, fraction = clock.partition(".")
    h, m, s = (int(p) for p in seconds.split(":"))
    days = (datetime.date.fromisoformat(day) - EPOCH).days
    micros = int((fraction + "000000")[:6]) if fraction else 0
    return ((days * 24 + h) * 60 + m) * 60_000_000 + s * 1_000_000 + micros


def typed(kind, scale, v):
    """A value of hyparquet_io.mjs's typed form, made comparable."""
    if v is None:
        return None
    if kind == "int":
        return int(v)
    if kind == "decimal":
        return decimal.Decimal(int(v)).scaleb(-scale)
    if kind == "real":
        return float_key(f32(float(v)))
    if kind == "float":
        return float_key(float(v))
    if kind == "date":
        return (EPOCH + datetime.timedelta(days=v)).isoformat()
    if kind == "timestamp":
        return int(v)
    return v


def basalt_value(kind, v):
    """A value of Basalt's JSON output (numbers as Decimal), made comparable."""
    if v is None:
        return None
    if kind == "int":
        return int(v)
    if kind == "decimal":
        return decimal.Decimal(v)
    if kind == "real":
        return float_key(f32(float(v)))
    if kind == "float":
        return float_key(float(v))
    if kind == "timestamp":
        return timestamp_micros(v)
    return v


def basalt_rows(sql):
    r = run_basalt(sql)
    if r.returncode != 0:
        raise AssertionError(f"{sql}\nstderr: {r.stderr}")
    # Exact numbers: integers stay int, everything with a point a Decimal.
    return json.loads(r.stdout or "[]", parse_float=decimal.Decimal)


class ParquetHyparquetTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="basalt_hyparquet_")
        subprocess.run([NODE, IO_SCRIPT, "write", cls.dir], check=True, timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def compare(self, label, columns, expected_rows, actual_rows):
        """expected_rows in the typed form, actual_rows Basalt's JSON objects."""
        self.assertEqual(len(actual_rows), len(expected_rows), label)
        names = [c["name"] for c in columns]
        self.assertEqual(list(actual_rows[0].keys()) if actual_rows else names, names, label)
        for r, (want, got) in enumerate(zip(expected_rows, actual_rows)):
            for c, column in enumerate(columns):
                kind, scale = column["kind"], column.get("scale", 0)
                w = typed(kind, scale, want[c])
                g = basalt_value(kind, got[column["name"]])
                if w != g:
                    self.fail(f"{label}: row {r} column {column['name']} ({kind}): "
                              f"expected {want[c]!r}, Basalt has {got[column['name']]!r}")

    # ------------------------------------------------ hyparquet-writer -> Basalt

    def test_basalt_reads_hyparquet_writer_files(self):
        for case in WRITTEN_CASES:
            with self.subTest(case=case):
                path = os.path.join(self.dir, f"{case}.parquet")
                with open(os.path.join(self.dir, f"{case}.expected.json")) as f:
                    expected = json.load(f)
                rows = basalt_rows(f"SELECT * FROM read_parquet('{path}') ORDER BY id")
                self.compare(case, expected["columns"], expected["rows"], rows)

    def test_row_groups_and_statistics(self):
        # hyparquet-writer's statistics prune row groups; the counts must not
        # change whether or not they are used.
        path = os.path.join(self.dir, "small_pages.parquet")
        rows = basalt_rows(
            f"SELECT count(*) AS n, sum(i32) AS s FROM read_parquet('{path}') "
            "WHERE id BETWEEN 650 AND 1450")
        with open(os.path.join(self.dir, "small_pages.expected.json")) as f:
            expected = json.load(f)
        ids = [int(r[0]) for r in expected["rows"]]
        i32 = [r[1] for r in expected["rows"]]
        want = [(int(v) if v is not None else None) for i, v in zip(ids, i32) if 650 <= i <= 1450]
        self.assertEqual(rows[0]["n"], len(want))
        self.assertEqual(rows[0]["s"], sum(v for v in want if v is not None))

    def test_unsupported_codec_fails_cleanly(self):
        path = os.path.join(self.dir, "brotli.parquet")
        r = run_basalt(f"SELECT count(i32) FROM read_parquet('{path}')")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("0A000", r.stderr)
        self.assertIn("BROTLI", r.stderr)

    # ------------------------------------------------ Basalt -> hyparquet

    def test_hyparquet_reads_basalt_files(self):
        own = basalt_rows(f"SELECT * FROM ({BASALT_QUERY}) q ORDER BY id")
        self.assertEqual(len(own), 2500)
        for codec in BASALT_CODECS:
            with self.subTest(codec=codec):
                path = os.path.join(self.dir, f"basalt_{codec}.parquet")
                out = path + ".json"
                sql = (f"COPY (SELECT * FROM ({BASALT_QUERY}) q ORDER BY id) TO '{path}' "
                       f"(FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 1000)")
                r = run_basalt(sql)
                self.assertEqual(r.returncode, 0, r.stderr)
                subprocess.run([NODE, IO_SCRIPT, "read", path, out], check=True,
                               timeout=TIMEOUT)
                with open(out) as f:
                    read = json.load(f)
                columns = read["columns"]
                kinds = {c["name"]: c["kind"] for c in columns}
                self.assertEqual(kinds["i16"], "int")
                self.assertEqual(kinds["dec38"], "decimal")
                self.assertEqual(kinds["ts"], "timestamp")
                rows = sorted(read["rows"], key=lambda row: int(row[0]))
                self.compare(f"basalt {codec}", columns, rows, own)


if __name__ == "__main__":
    unittest.main()
