// Has DuckDB read Parquet files Basalt wrote (test_parquet_writer.py):
//
//   node read_with_duckdb.mjs IN.parquet OUT.csv [IN.parquet OUT.csv ...]
//
// Each OUT.csv is DuckDB's CSV (with a header) of the file's rows ordered by
// its first column. Also writes OUT.csv.meta.json: the Parquet metadata
// DuckDB sees (codec, encodings and statistics per column chunk), so the
// test can check those too.
//
// The node_modules holding @duckdb/node-api is found through
// DUCKDB_NODE_MODULES or the TPC-H harness's (scripts/setup.sh installs it).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.DUCKDB_NODE_MODULES ??
  resolve(here, '../../bench/tpch/harness/node_modules');
const require = createRequire(join(modules, 'noop.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: node read_with_duckdb.mjs IN.parquet OUT.csv [...]');
  process.exit(2);
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
for (let i = 0; i < args.length; i += 2) {
  const [input, output] = [args[i], args[i + 1]];
  await db.run(`COPY (SELECT * FROM read_parquet(${quote(input)}) ORDER BY 1) ` +
               `TO ${quote(output)} (FORMAT csv, HEADER)`);
  const meta = await db.runAndReadAll(
    `SELECT row_group_id, path_in_schema, type, compression, encodings, stats_min_value, ` +
    `stats_max_value, stats_null_count FROM parquet_metadata(${quote(input)}) ORDER BY ALL`);
  writeFileSync(output + '.meta.json', JSON.stringify(meta.getRowObjectsJson()));
}
