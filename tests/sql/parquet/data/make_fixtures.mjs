// Writes the tiny Parquet fixtures of tests/sql/parquet with DuckDB (run once;
// the files are committed, together under 20 KB):
//   node tests/sql/parquet/data/make_fixtures.mjs
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const d = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(resolve(d, '../../../../bench/tpch/harness/node_modules'), 'x.js'));
const { DuckDBInstance } = require('@duckdb/node-api');
const instance = await DuckDBInstance.create(':memory:');
const c = await instance.connect();
const q = `SELECT i::INTEGER AS id, CASE WHEN i % 4 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
  (i * 7 - 50)::SMALLINT AS small, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1000000007 END::BIGINT AS big,
  (i * 1.25)::DECIMAL(6,2) AS price, (i * 123456789.123)::DECIMAL(30,3) AS wide,
  i / 3.0 AS ratio, DATE '1999-12-30' + i::INTEGER AS day,
  TIMESTAMP '2024-02-28 23:59:59.5' + i * INTERVAL 1 HOUR AS at,
  (['red', 'green', 'blue', '', NULL])[i % 5 + 1] AS color, 'item-' || i AS name
  FROM range(0, 24) t(i)`;
await c.run(`COPY (${q}) TO '${d}/items.parquet' (FORMAT parquet, COMPRESSION snappy)`);
await c.run(`COPY (${q} WHERE i >= 12) TO '${d}/items_v2.parquet' ` +
            `(FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v2)`);
await c.run(`COPY (SELECT i::VARCHAR AS id FROM range(3) t(i)) TO '${d}/other.parquet' (FORMAT parquet)`);
await c.run(`COPY (SELECT i::INTEGER AS id, (['a', 'b', 'c'])[i % 3 + 1] AS tag FROM range(0, 5000) t(i)) ` +
            `TO '${d}/groups.parquet' ` +
            `(FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v2, ROW_GROUP_SIZE 2048)`);
