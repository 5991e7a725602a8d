// Times one SQL query on an in-memory DuckDB, for bench/files/csv_split.sh:
// one untimed warm-up run, then RUNS timed runs; prints the median wall time
// in milliseconds and the first row of the result (to check the engines agree).
//
//   node duckdb_time_query.mjs THREADS RUNS 'SQL'
//
// DuckDB comes from bench/tpch/harness/node_modules (scripts/setup.sh), or
// DUCKDB_NODE_MODULES.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.DUCKDB_NODE_MODULES ?? join(here, '..', 'tpch', 'harness', 'node_modules');
const require = createRequire(join(modules, 'noop.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [threads, runs, sql] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
let first = null;
const times = [];
for (let i = 0; i <= Number(runs); i++) {
  const start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const elapsed = performance.now() - start;
  if (i === 0) {
    first = reader.getRows()[0].map((v) => String(v)).join('|');
  } else {
    times.push(elapsed);
  }
}
times.sort((a, b) => a - b);
console.log(`${times[Math.floor(times.length / 2)].toFixed(1)} ${first}`);
