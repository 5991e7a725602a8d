// Converts the .tbl files of one TPC-H scale factor to Parquet with DuckDB,
// for `bench/tpch/run.sh --format parquet`.
//
//   node make_parquet.mjs --schema schema.sql --load load.sql --out DIR
//                         [--threads N] [--codec zstd|snappy] [--marker TEXT]
//
// One in-memory DuckDB runs schema.sql (so the columns get the schema's types:
// DECIMAL(15,2) money, DATE dates, INTEGER / BIGINT keys) and load.sql (the
// COPY ... FROM '<table>.tbl' of run.sh), then writes each table of the schema
// to DIR/<table>.parquet with COPY ... TO (FORMAT parquet, COMPRESSION codec)
// and DuckDB's default row group size. Every file is written under a
// temporary name and renamed; DIR/.complete (holding TEXT, by default the
// table names) is written last, so a caller can reuse DIR when it holds what
// the caller expects (run.sh passes `sf=SF codec=CODEC`).
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    schema: { type: 'string' },
    load: { type: 'string' },
    out: { type: 'string' },
    threads: { type: 'string', default: '0' },
    codec: { type: 'string', default: 'zstd' },
    marker: { type: 'string', default: '' },
  },
});
if (!opts.schema || !opts.load || !opts.out) {
  console.error('make_parquet: --schema, --load and --out are required');
  process.exit(2);
}
if (!['zstd', 'snappy'].includes(opts.codec)) {
  console.error(`make_parquet: --codec zstd or snappy, not ${opts.codec}`);
  process.exit(2);
}

const out = resolve(opts.out);
mkdirSync(out, { recursive: true });
rmSync(join(out, '.complete'), { force: true });

const threads = Number(opts.threads);
const instance = await DuckDBInstance.create(':memory:', threads > 0 ? { threads: String(threads) } : {});
const connection = await instance.connect();

async function runScript(sql) {
  const extracted = await connection.extractStatements(sql);
  for (let i = 0; i < extracted.count; i++) {
    const prepared = await extracted.prepare(i);
    await prepared.run();
  }
}

const start = performance.now();
await runScript(readFileSync(opts.schema, 'utf8'));
await runScript(readFileSync(opts.load, 'utf8'));
console.error(`loaded the .tbl files in ${(performance.now() - start).toFixed(0)} ms`);

const tables = (await connection.runAndReadAll(
  "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name"))
  .getRows().map((r) => String(r[0]));
if (tables.length === 0) {
  console.error('make_parquet: schema.sql created no tables');
  process.exit(2);
}
for (const table of tables) {
  const t0 = performance.now();
  const target = join(out, `${table}.parquet`);
  const tmp = `${target}.tmp-${process.pid}`;
  const quoted = tmp.replaceAll("'", "''");
  await connection.run(
    `COPY ${table} TO '${quoted}' (FORMAT parquet, COMPRESSION ${opts.codec})`);
  renameSync(tmp, target);
  console.error(`${table}.parquet in ${(performance.now() - t0).toFixed(0)} ms`);
}
writeFileSync(join(out, '.complete'), (opts.marker || tables.join(' ')) + '\n');
connection.closeSync?.();
