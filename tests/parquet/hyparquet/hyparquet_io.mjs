// A second, independent Parquet implementation for test_parquet_hyparquet.py:
// hyparquet-writer writes files Basalt must read, hyparquet (with
// hyparquet-compressors for GZIP, ZSTD, LZ4 ...) reads files Basalt wrote.
//
//   node hyparquet_io.mjs write DIR      writes DIR/<case>.parquet and
//                                        DIR/<case>.expected.json per case
//   node hyparquet_io.mjs read FILE OUT  reads FILE, writes its rows to OUT
//
// Both JSON outputs hold {columns: [{name, kind, scale}], rows: [[...]]} with
// values in exact, typed form, so the Python side compares them exactly:
// kind int (a decimal string), decimal (the unscaled integer as a string,
// plus scale), real / float (a JSON number, or "NaN" / "Infinity" /
// "-Infinity"), bool, string, date (days since 1970-01-01), timestamp
// (microseconds since 1970-01-01 00:00 as a string; nanoseconds truncated
// toward zero, as Basalt reads them); null is null.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';

function jsonFloat(v) {
  if (v === null || v === undefined) return null;
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

// Two's complement big-endian bytes as a BigInt.
function signedBigEndian(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0] & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}

// ---------------------------------------------------------------- reading

// The kind of a flat column, from its schema element.
function kindOf(e) {
  const ct = e.converted_type;
  const lt = e.logical_type?.type;
  if (ct === 'DECIMAL' || lt === 'DECIMAL') return 'decimal';
  switch (e.type) {
    case 'BOOLEAN': return 'bool';
    case 'INT32': return ct === 'DATE' || lt === 'DATE' ? 'date' : 'int';
    case 'INT64':
      return ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || lt === 'TIMESTAMP'
        ? 'timestamp' : 'int';
    case 'INT96': return 'timestamp';
    case 'FLOAT': return 'real';
    case 'DOUBLE': return 'float';
    default: return 'string';
  }
}

async function readFile(path, out) {
  const buffer = readFileSync(path);
  const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const metadata = parquetMetadata(file);
  const leaves = metadata.schema.slice(1);
  const columns = leaves.map((e) => ({
    name: e.name, kind: kindOf(e), scale: e.scale ?? e.logical_type?.scale ?? 0,
  }));
  // Decimals are read as their raw unscaled values: hyparquet would turn
  // them into doubles, which cannot hold 18 or 38 digits.
  for (const e of leaves) {
    if (kindOf(e) === 'decimal') {
      delete e.converted_type;
      delete e.logical_type;
    }
  }
  // Timestamps and dates stay integers (a Date holds only milliseconds).
  const parsers = {
    timestampFromMilliseconds: (v) => BigInt(v) * 1000n,
    timestampFromMicroseconds: (v) => BigInt(v),
    timestampFromNanoseconds: (v) => BigInt(v) / 1000n,
    dateFromDays: (v) => v,
  };
  let rows = [];
  await parquetRead({
    file, metadata, compressors, parsers, utf8: false, rowFormat: 'array',
    onComplete: (data) => { rows = data; },
  });
  const text = new TextDecoder('utf-8', { fatal: true });
  const converted = rows.map((row) => row.map((v, c) => {
    if (v === null || v === undefined) return null;
    switch (columns[c].kind) {
      case 'int': return String(v);
      case 'decimal':
        if (v instanceof Uint8Array) return String(signedBigEndian(v));
        return String(v);
      case 'real': case 'float': return jsonFloat(v);
      case 'bool': return v;
      case 'date': return v;
      case 'timestamp': return String(v);
      default: return v instanceof Uint8Array ? text.decode(v) : String(v);
    }
  }));
  writeFileSync(out, JSON.stringify({ columns, rows: converted }));
}

// ---------------------------------------------------------------- writing

const N = 3000;
const range = (f) => Array.from({ length: N }, (_, i) => f(i));
const nullEvery = (k, f) => range((i) => (i % k === 0 ? null : f(i)));

// Each column: its schema element, data, encoding, and its expected values in
// the typed form above.
function columns() {
  const cols = [];
  const add = (element, data, kind, expected, extra = {}) =>
    cols.push({ element: { repetition_type: 'OPTIONAL', ...element }, data, kind, expected, ...extra });
  const asText = (v) => (v === null ? null : String(v));

  add({ name: 'id', type: 'INT32', repetition_type: 'REQUIRED' }, range((i) => i), 'int',
      range((i) => String(i)), { encoding: 'DELTA_BINARY_PACKED' });
  const i32 = nullEvery(7, (i) => ((i * 2654435761) % 4294967296) - 2147483648);
  add({ name: 'i32', type: 'INT32' }, i32, 'int', i32.map(asText));
  const i32delta = nullEvery(5, (i) => (i % 2 ? -1 : 1) * ((i * 7919) % 2147483647));
  add({ name: 'i32_delta', type: 'INT32' }, i32delta, 'int', i32delta.map(asText),
      { encoding: 'DELTA_BINARY_PACKED' });
  const i64 = nullEvery(9, (i) => {
    if (i === 1) return 9223372036854775807n;
    if (i === 2) return -9223372036854775808n;
    return BigInt(i) * 1000003n * 1000003n * 7n - 5000000000000n;
  });
  add({ name: 'i64', type: 'INT64' }, i64, 'int', i64.map(asText));
  const i64delta = nullEvery(4, (i) => BigInt((i * 104729) % 1000003) * (i % 3 ? 1000000007n : -3n));
  add({ name: 'i64_delta', type: 'INT64' }, i64delta, 'int', i64delta.map(asText),
      { encoding: 'DELTA_BINARY_PACKED' });
  const i16 = nullEvery(6, (i) => ((i * 37) % 65536) - 32768);
  add({ name: 'i16', type: 'INT32', converted_type: 'INT_16' }, i16, 'int', i16.map(asText));
  const u32 = nullEvery(8, (i) => (i * 2654435761) % 4294967296);
  add({ name: 'u32', type: 'INT32', converted_type: 'UINT_32' }, u32, 'int', u32.map(asText));

  // Infinities, a NULL and NaN now and then.
  const special = (k) => [Infinity, -Infinity, null, NaN][k - 1];
  const f32 = range((i) => (i % 13 >= 1 && i % 13 <= 4 ? special(i % 13) : Math.fround((i - 1000) / 7)));
  add({ name: 'f32', type: 'FLOAT' }, f32, 'real', f32.map(jsonFloat));
  const f32bss = range((i) => (i % 10 === 0 ? null : Math.fround(i * 1.25e-3 - 1)));
  add({ name: 'f32_bss', type: 'FLOAT' }, f32bss, 'real', f32bss.map(jsonFloat),
      { encoding: 'BYTE_STREAM_SPLIT' });
  const f64 = range((i) => (i % 17 >= 1 && i % 17 <= 4 ? special(i % 17) : ((i - 1500) / 7) * 1e10));
  add({ name: 'f64', type: 'DOUBLE' }, f64, 'float', f64.map(jsonFloat));
  const f64bss = range((i) => (i % 10 === 0 ? null : i === 1 ? -0 : 1 / (i - 1234.5)));
  add({ name: 'f64_bss', type: 'DOUBLE' }, f64bss, 'float', f64bss.map(jsonFloat),
      { encoding: 'BYTE_STREAM_SPLIT' });

  const b = nullEvery(11, (i) => i % 3 === 0);
  add({ name: 'b', type: 'BOOLEAN' }, b, 'bool', b, { encoding: 'RLE' });
  const bplain = range((i) => i % 5 < 2);
  add({ name: 'b_plain', type: 'BOOLEAN', repetition_type: 'REQUIRED' }, bplain, 'bool', bplain,
      { encoding: 'PLAIN' });

  const words = ['', 'ünïcødé ✓ 日本語', 'with "quote", comma', 'line\nfeed', 'tab\there'];
  const s = nullEvery(7, (i) => (i % 7 <= words.length ? words[i % 7 - 1] : `v${i % 50}`));
  add({ name: 's_dict', type: 'BYTE_ARRAY', converted_type: 'UTF8' }, s, 'string', s,
      { encoding: 'RLE_DICTIONARY' });
  const sPlain = nullEvery(4, (i) => 'x'.repeat(i % 300) + `ü${i}`);
  add({ name: 's_plain', type: 'BYTE_ARRAY', converted_type: 'UTF8' }, sPlain, 'string', sPlain,
      { encoding: 'PLAIN' });
  const sDlba = nullEvery(7, (i) => `len ${'y'.repeat(i % 40)} ${i}`);
  add({ name: 's_dlba', type: 'BYTE_ARRAY', converted_type: 'UTF8' }, sDlba, 'string', sDlba,
      { encoding: 'DELTA_LENGTH_BYTE_ARRAY' });
  const sDba = nullEvery(9, (i) => `prefix/shared/${String(Math.floor(i / 3)).padStart(6, '0')}/${i % 3}`);
  // Annotated by the logical type alone, so the writer wants the bytes.
  const utf8 = new TextEncoder();
  add({ name: 's_dba', type: 'BYTE_ARRAY', logical_type: { type: 'STRING' } },
      sDba.map((v) => (v === null ? null : utf8.encode(v))), 'string', sDba,
      { encoding: 'DELTA_BYTE_ARRAY' });

  const days = nullEvery(10, (i) => ((i * 37) % 100000) - 50000);
  add({ name: 'd', type: 'INT32', converted_type: 'DATE' }, days, 'date', days);
  const ms = nullEvery(11, (i) => BigInt(i) * 987654321n - 1000000000000n);
  add({ name: 'ts_ms', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }, ms, 'timestamp',
      ms.map((v) => (v === null ? null : String(v * 1000n))));
  const us = nullEvery(12, (i) => BigInt(i) * 987654321123n - 2000000000000000n);
  add({ name: 'ts_us', type: 'INT64', converted_type: 'TIMESTAMP_MICROS' }, us, 'timestamp',
      us.map(asText));
  const ns = nullEvery(13, (i) => BigInt(i) * 987654321123457n - 1500000000000000000n);
  add({ name: 'ts_ns', type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'NANOS' } },
      ns, 'timestamp', ns.map((v) => (v === null ? null : String(v / 1000n))));

  const dec9 = nullEvery(6, (i) => BigInt(((i * 7919) % 1999999999) - 999999999));
  add({ name: 'dec9', type: 'INT32', converted_type: 'DECIMAL', precision: 9, scale: 2 }, dec9,
      'decimal', dec9.map(asText), { scale: 2 });
  const dec18 = nullEvery(7, (i) => (BigInt(i) * 123456789012345n) % 999999999999999999n - 499999999999999999n);
  add({ name: 'dec18', type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 4 }, dec18,
      'decimal', dec18.map(asText), { scale: 4 });
  const dec38 = nullEvery(8, (i) => (i % 3 ? -1n : 1n) * (BigInt(i) * 7919n * 10n ** 30n + BigInt(i)));
  add({ name: 'dec38', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL',
        precision: 38, scale: 10 }, dec38, 'decimal', dec38.map(asText), { scale: 10 });
  const decBytes = nullEvery(5, (i) => BigInt(i * 31337 - 40000000));
  add({ name: 'dec_bytes', type: 'BYTE_ARRAY', converted_type: 'DECIMAL', precision: 20, scale: 3 },
      decBytes, 'decimal', decBytes.map(asText), { scale: 3 });
  return cols;
}

// The cases: codecs, row group and page sizes.
const CASES = [
  { name: 'snappy', codec: 'SNAPPY' },
  { name: 'uncompressed', codec: 'UNCOMPRESSED' },
  { name: 'gzip', codec: 'GZIP' },
  // Many row groups and small pages: page boundaries inside dictionaries,
  // delta blocks and null runs.
  { name: 'small_pages', codec: 'SNAPPY', rowGroupSize: 700, pageSize: 1024 },
  { name: 'one_row_group', codec: 'UNCOMPRESSED', rowGroupSize: N, pageSize: 4096 },
  // A codec Basalt does not read: 0A000, not a crash.
  { name: 'brotli', codec: 'BROTLI' },
];

function writeFiles(dir) {
  const cols = columns();
  const schema = [{ name: 'root', num_children: cols.length }, ...cols.map((c) => c.element)];
  const expected = {
    columns: cols.map((c) => ({ name: c.element.name, kind: c.kind, scale: c.scale ?? 0 })),
    rows: range((i) => cols.map((c) => c.expected[i])),
  };
  for (const k of CASES) {
    const buffer = parquetWriteBuffer({
      columnData: cols.map((c) => ({ name: c.element.name, data: c.data, encoding: c.encoding,
                                     nullable: c.element.repetition_type !== 'REQUIRED' })),
      schema,
      codec: k.codec,
      compressors: { GZIP: (b) => gzipSync(b), BROTLI: (b) => brotliCompressSync(b) },
      rowGroupSize: k.rowGroupSize ?? 1000,
      pageSize: k.pageSize,
    });
    writeFileSync(join(dir, `${k.name}.parquet`), new Uint8Array(buffer));
    writeFileSync(join(dir, `${k.name}.expected.json`), JSON.stringify(expected));
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === 'write') {
  writeFiles(args[0]);
} else if (command === 'read') {
  await readFile(args[0], args[1]);
} else {
  console.error('usage: hyparquet_io.mjs write DIR | read FILE OUT');
  process.exit(2);
}
