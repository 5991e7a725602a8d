// The DuckDB side of the TPC-H harness: the same interface and output as
// basalt_tpch_runner (tpch_runner.cc), so compare.py reads both alike.
//
//   node duckdb_runner.mjs --threads N --setup schema.sql --setup load.sql
//                          --runs R --out DIR [--database FILE] q01.sql ...
//
// One DuckDB (in memory, or in a fresh database FILE with --database) loads once; each query file runs --warmup times
// (default 1; the rows of the first run are kept), then --runs timed times.
// A run covers every statement of the file, each prepared and run to a fully
// read result (not converted to JS values); the rows are those of the last
// statement that returns rows (Q15 creates, queries and drops a view).
//
// Output, in DIR: <stem>.csv (header fields `name:TYPE`, NULL an empty field,
// the empty string "") and timings.tsv (stem, status, ms,ms,..., rows,
// message), as the Basalt runner writes them.
import { DuckDBInstance, ResultReturnType } from '@duckdb/node-api';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: opts, positionals: queryFiles } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: 'string', default: '0' },
    setup: { type: 'string', multiple: true, default: [] },
    warmup: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string' },
    database: { type: 'string', default: ':memory:' },
  },
});
if (!opts.out) {
  console.error('duckdb_runner: --out DIR is required');
  process.exit(2);
}
const warmup = Math.max(1, Number(opts.warmup));
const runs = Number(opts.runs);
const threads = Number(opts.threads);

mkdirSync(opts.out, { recursive: true });
const timingsPath = join(opts.out, 'timings.tsv');
const oneLine = (s) => String(s).replace(/[\t\r\n]+/g, ' ');
const record = (fields) => appendFileSync(timingsPath, fields.join('\t') + '\n');

function csvField(text) {
  if (text !== '' && !/[",\r\n]/.test(text)) return text;
  return '"' + text.replaceAll('"', '""') + '"';
}

// The engine's text for a value: numbers as JS prints them (the shortest text
// that reads back as the same double), DECIMAL and DATE by their toString.
function valueText(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return v.toString();
  return String(v);
}

function writeCsv(reader, path) {
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const lines = [names.map((n, i) => csvField(`${n}:${types[i]}`)).join(',')];
  for (const row of reader.getRows()) {
    lines.push(row.map((v) => {
      const text = valueText(v);
      return text === null ? '' : csvField(text);
    }).join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

// The queries are written for Basalt in the specification's SQL; DuckDB does
// not parse an interval's leading field precision (`interval '90' day (3)`,
// Q1), which changes nothing about the value, so it is dropped.
function toDuckDbDialect(sql) {
  return sql.replace(/(interval\s+'[^']*'\s+(?:year|month|day|hour|minute|second))\s*\(\s*\d+\s*\)/gi,
    '$1');
}

// Runs every statement of `sql`; returns the reader of the last one that
// returns rows.
async function runScript(connection, sql) {
  const extracted = await connection.extractStatements(sql);
  let last = null;
  let lastRows = null;
  for (let i = 0; i < extracted.count; i++) {
    const prepared = await extracted.prepare(i);
    last = await prepared.runAndReadAll();
    if (last.returnType === ResultReturnType.QUERY_RESULT) lastRows = last;
  }
  return lastRows ?? last;
}

const instanceOptions = threads > 0 ? { threads: String(threads) } : {};
if (opts.database !== ':memory:') {
  for (const suffix of ['', '.wal']) rmSync(opts.database + suffix, { force: true });
}
const instance = await DuckDBInstance.create(opts.database, instanceOptions);
const connection = await instance.connect();
if (threads > 0) await connection.run(`SET threads = ${threads}`);

const version = await connection.runAndReadAll('SELECT version()');
record(['@version', 'ok', '', '', String(version.getRows()[0][0])]);

const loadStart = performance.now();
for (const file of opts.setup) {
  try {
    await runScript(connection, readFileSync(file, 'utf8'));
  } catch (e) {
    record(['@load', 'error', '', '', oneLine(`${file}: ${e.message}`)]);
    console.error(`load failed: ${file}: ${e.message}`);
    process.exit(2);
  }
}
const loadMs = performance.now() - loadStart;
record(['@load', 'ok', loadMs.toFixed(3), '', '']);
console.error(`loaded in ${loadMs.toFixed(0)} ms`);

for (const file of queryFiles) {
  const name = basename(file, extname(file));
  const sql = toDuckDbDialect(readFileSync(file, 'utf8'));
  const times = [];
  let kept = null;
  let error = null;
  for (let run = 0; run < warmup + runs; run++) {
    const start = performance.now();
    let reader;
    try {
      reader = await runScript(connection, sql);
    } catch (e) {
      error = e;
      break;
    }
    const ms = performance.now() - start;
    if (run === 0) kept = reader;
    if (run >= warmup) times.push(ms);
  }
  if (error) {
    record([name, 'error', '', '', oneLine(error.message)]);
    console.error(`${name}: ERROR ${oneLine(error.message)}`);
    continue;
  }
  writeCsv(kept, join(opts.out, `${name}.csv`));
  record([name, 'ok', times.map((t) => t.toFixed(3)).join(','), String(kept.currentRowCount), '']);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length ? `, median ${sorted[sorted.length >> 1].toFixed(1)} ms` : '';
  console.error(`${name}: ${kept.currentRowCount} rows${median}`);
}
connection.closeSync?.();
