// Writes the Parquet files the interoperability tests read, with DuckDB (not
// Basalt), so the reader is checked against files another engine wrote.
//
//   node make_files.mjs OUT_DIR
//
// For every file f.parquet it also writes f.csv, DuckDB's own text of the
// rows (with a header), and OUT_DIR/manifest.json lists the files together
// with the columns whose values are floating point (the two engines may spell
// the same float differently: "inf" and "Infinity", "-0.0" and "-0"), so the
// test compares those by value and everything else as text.
//
// The node_modules holding @duckdb/node-api is found through NODE_PATH or
// the TPC-H harness's (scripts/setup.sh installs it there).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.DUCKDB_NODE_MODULES ??
  resolve(here, '../../bench/tpch/harness/node_modules');
const require = createRequire(join(modules, 'noop.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const out = process.argv[2];
if (!out) {
  console.error('usage: node make_files.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();

// One row per i; every column has NULLs somewhere, and the values reach the
// edges that matter: negative numbers, NaN and infinities, empty, unicode and
// long strings, dates before 1970, timestamps with all sub-second digits.
const ALL_TYPES = `
SELECT
  i::INTEGER AS id,
  CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
  CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 256 - 128)::TINYINT END AS i8,
  (i * 37 % 65536 - 32768)::SMALLINT AS i16,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 2654435761 % 4294967296 - 2147483648)::INTEGER END AS i32,
  CASE WHEN i % 9 = 0 THEN NULL ELSE i * 1000003 * 1000003 * 7 - 5000000000000 END::BIGINT AS i64,
  (i % 10)::INTEGER AS low_card_int,
  (i % 256)::UTINYINT AS u8,
  (i * 251 % 65536)::USMALLINT AS u16,
  CASE WHEN i % 4 = 0 THEN NULL ELSE (i * 2654435761 % 4294967296)::UINTEGER END AS u32,
  (i * 1000003)::UBIGINT AS u64,
  CASE i % 13 WHEN 0 THEN 'nan'::FLOAT WHEN 1 THEN 'inf'::FLOAT WHEN 2 THEN '-inf'::FLOAT
    WHEN 3 THEN NULL ELSE (i / 7.0)::FLOAT END AS f32,
  CASE i % 17 WHEN 0 THEN 'nan'::DOUBLE WHEN 1 THEN 'inf'::DOUBLE WHEN 2 THEN '-inf'::DOUBLE
    WHEN 3 THEN NULL WHEN 4 THEN -0.0::DOUBLE ELSE (i - 3000) / 7.0 * 1e10 END AS f64,
  CASE WHEN i % 6 = 0 THEN NULL ELSE ((i % 9999 - 4999) / 100.0)::DECIMAL(4,2) END AS dec4,
  ((i * 123456789 - 300000000000) * 0.000001)::DECIMAL(18,6) AS dec18,
  CASE WHEN i % 8 = 0 THEN NULL ELSE
    ((CASE WHEN i % 3 = 0 THEN '-' ELSE '' END) || (i * 7919)::VARCHAR || repeat('9', 19 - i % 20)
     || '.' || lpad((i * 104729 % 10000000000)::VARCHAR, 10, '0'))::DECIMAL(38,10) END AS dec38,
  CASE WHEN i % 10 = 0 THEN NULL ELSE DATE '1970-01-01' + (i * 37 % 100000 - 50000)::INTEGER END AS d,
  CASE WHEN i % 12 = 0 THEN NULL ELSE make_timestamp((i * 1234567891234 - 3000000000000000)::BIGINT) END AS ts,
  make_timestamp((i * 1234567891 - 3000000000000)::BIGINT * 1000)::TIMESTAMP_MS AS ts_ms,
  CASE WHEN i % 14 = 0 THEN NULL ELSE
    make_timestamp_ns((i * 1234567891234567 - 3000000000000000000)::BIGINT) END AS ts_ns,
  CASE WHEN i % 15 = 0 THEN NULL ELSE
    make_timestamp((i * 123456789 - 3000000000)::BIGINT * 1000000)::TIMESTAMP_S END AS ts_s,
  (['apple', 'banana', '', 'ünïcödé ✓ 日本', NULL])[i % 5 + 1] AS s_dict,
  md5(i::VARCHAR) || repeat('x', i % 50) AS s_plain,
  CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('long-' || i::VARCHAR, 20 + i % 60) END AS s_long,
  CASE WHEN i % 4 = 0 THEN NULL ELSE ('blob' || i::VARCHAR)::BLOB END AS bl
FROM range(0, 7000) t(i)`;

// DuckDB's text for the expected rows: the timestamp variants as Basalt
// reads them (microseconds), the blob as the text it holds.
const EXPECTED = (table) => `
SELECT * REPLACE (ts_ms::TIMESTAMP AS ts_ms, ts_ns::TIMESTAMP AS ts_ns, ts_s::TIMESTAMP AS ts_s,
                  bl::VARCHAR AS bl)
FROM ${table} ORDER BY id`;

const FLOAT_COLUMNS = ['f32', 'f64'];
const REAL_COLUMNS = ['f32'];
const manifest = { files: [], errors: {} };

await db.run(`CREATE TABLE all_types AS ${ALL_TYPES}`);
await db.run(`CREATE TABLE expected AS ${EXPECTED('all_types')}`);

async function write(name, query, options, expectedQuery) {
  const parquet = join(out, `${name}.parquet`);
  const csv = join(out, `${name}.csv`);
  await db.run(`COPY (${query}) TO '${parquet}' (FORMAT parquet, ${options})`);
  await db.run(`COPY (${expectedQuery}) TO '${csv}' (HEADER)`);
  manifest.files.push({ name, parquet, csv, float_columns: FLOAT_COLUMNS,
                        real_columns: REAL_COLUMNS });
}

for (const codec of ['snappy', 'gzip', 'zstd', 'lz4', 'uncompressed']) {
  await write(`types_v1_${codec}`, 'SELECT * FROM all_types',
              `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048`, 'SELECT * FROM expected');
}
// Version 2 files: data page v2 and the DELTA_* / BYTE_STREAM_SPLIT encodings.
for (const codec of ['snappy', 'zstd', 'uncompressed']) {
  await write(`types_v2_${codec}`, 'SELECT * FROM all_types',
              `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048, PARQUET_VERSION v2`,
              'SELECT * FROM expected');
}
// One large row group, so column chunks span several pages.
await write('types_one_group', 'SELECT * FROM all_types', 'COMPRESSION snappy, ROW_GROUP_SIZE 100000',
            'SELECT * FROM expected');
// Every value NULL, and no rows at all.
await write('all_null', 'SELECT * FROM all_types WHERE false UNION ALL ' +
            'SELECT id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ' +
            'NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM all_types',
            'COMPRESSION snappy, ROW_GROUP_SIZE 2048',
            'SELECT id, NULL AS b, NULL AS i8, NULL AS i16, NULL AS i32, NULL AS i64, ' +
            'NULL AS low_card_int, NULL AS u8, NULL AS u16, NULL AS u32, NULL AS u64, NULL AS f32, ' +
            'NULL AS f64, NULL AS dec4, NULL AS dec18, NULL AS dec38, NULL AS d, NULL AS ts, ' +
            'NULL AS ts_ms, NULL AS ts_ns, NULL AS ts_s, NULL AS s_dict, NULL AS s_plain, ' +
            'NULL AS s_long, NULL AS bl FROM expected');
await write('empty', 'SELECT * FROM all_types WHERE false', 'COMPRESSION snappy',
            'SELECT * FROM expected WHERE false');

// Inputs that must fail with a clear error (the test damages copies of a
// good file itself): a file with another schema for the glob check, and an
// unsigned 64-bit value beyond BIGINT.
const other = join(out, 'other_schema.parquet');
await db.run(`COPY (SELECT i::VARCHAR AS id FROM range(10) t(i)) TO '${other}' (FORMAT parquet)`);
manifest.errors.other_schema = other;
const big = join(out, 'u64_big.parquet');
await db.run(`COPY (SELECT 18446744073709551615::UBIGINT AS u) TO '${big}' (FORMAT parquet)`);
manifest.errors.u64_big = big;
// A MAP column, which Basalt does not read yet (0A000 naming the column).
const map = join(out, 'map.parquet');
await db.run(`COPY (SELECT 1 AS id, MAP {'k': 1} AS tags) TO '${map}' (FORMAT parquet)`);
manifest.errors.map = map;

// LIST and STRUCT columns (docs/parquet.md, "Nested columns"): NULL lists,
// empty lists and NULL elements; NULL structs and NULL fields; lists of
// structs, structs holding lists, lists of lists; next to flat columns.
const NESTED = `
SELECT
  i::INTEGER AS id,
  CASE WHEN i % 7 = 0 THEN NULL WHEN i % 5 = 0 THEN []::INTEGER[]
    ELSE [i::INTEGER, CASE WHEN i % 3 = 0 THEN NULL ELSE -i::INTEGER END, (i * 2)::INTEGER] END AS li,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 4 = 0 THEN []::VARCHAR[]
    ELSE ['s' || i::VARCHAR, NULL, '', 'a b', 'x,y', 'it''s', repeat('long', i % 30)] END AS lv,
  CASE WHEN i % 6 = 0 THEN NULL ELSE
    {'a': CASE WHEN i % 4 = 0 THEN NULL ELSE i::INTEGER END,
     'b': CASE WHEN i % 9 = 0 THEN NULL ELSE 'b' || i::VARCHAR END} END AS st,
  (i * 3)::BIGINT AS flat,
  CASE WHEN i % 13 = 0 THEN NULL WHEN i % 8 = 0 THEN [] ELSE
    [{'a': i::INTEGER, 'b': 'q' || (i % 3)::VARCHAR}, NULL, {'a': NULL, 'b': NULL}] END AS lst,
  CASE WHEN i % 10 = 0 THEN NULL ELSE
    {'l': CASE WHEN i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN []::BIGINT[] ELSE [i::BIGINT, NULL] END,
     'n': 'z' || i::VARCHAR} END AS sl,
  CASE WHEN i % 9 = 0 THEN NULL ELSE [[i::INTEGER], []::INTEGER[], NULL, [NULL, 1]] END AS ll,
  [DATE '2020-01-01' + (i % 1000)::INTEGER, NULL] AS ld,
  CASE WHEN i % 2 = 0 THEN NULL ELSE [(i / 100)::DECIMAL(10,2), (-i)::DECIMAL(20,3)] END AS ldec,
  CASE WHEN i % 3 = 0 THEN NULL ELSE
    {'t': {'x': i % 2 = 0, 'y': CASE WHEN i % 5 = 0 THEN NULL ELSE i::SMALLINT END}} END AS ss
FROM range(0, 7000) t(i)`;
await db.run(`CREATE TABLE nested AS ${NESTED}`);
async function writeNested(name, options) {
  const parquet = join(out, `${name}.parquet`);
  const csv = join(out, `${name}.csv`);
  await db.run(`COPY nested TO '${parquet}' (FORMAT parquet, ${options})`);
  await db.run(`COPY (SELECT * FROM nested ORDER BY id) TO '${csv}' (HEADER)`);
  manifest.files.push({ name, parquet, csv, float_columns: [], real_columns: [] });
  manifest.nested.push(name);
}
manifest.nested = [];
await writeNested('nested_v1', 'COMPRESSION snappy, ROW_GROUP_SIZE 2048');
await writeNested('nested_v2', 'COMPRESSION zstd, ROW_GROUP_SIZE 2048, PARQUET_VERSION v2');
await writeNested('nested_one_group', 'COMPRESSION uncompressed, ROW_GROUP_SIZE 100000');

writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
