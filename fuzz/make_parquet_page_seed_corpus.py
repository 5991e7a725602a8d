#!/usr/bin/env python3
"""Writes the seed corpus of parquet_page_fuzz into a directory: valid column
chunks (page headers and pages) of every encoding the reader decodes, behind
the target's 6-byte prefix (column kind, codec and REQUIRED flag, row count,
value count;
see fuzz/parquet_page_fuzz.cc):

- PLAIN values of every physical type, with RLE / bit-packed definition levels;
- a dictionary page followed by RLE_DICTIONARY data pages (v1 and v2);
- DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
  BYTE_STREAM_SPLIT, RLE booleans;
- data pages v1 and v2, several pages in one chunk, LIST leaves with
  repetition levels;
- every codec: UNCOMPRESSED, GZIP (zlib), and SNAPPY, LZ4 (Hadoop framing),
  LZ4_RAW and ZSTD as valid streams of literals only (this script needs no
  compression library beyond zlib).

    python3 fuzz/make_parquet_page_seed_corpus.py DIR
"""

import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_parquet_seed_corpus import Struct, boolean, i32, struct_  # noqa: E402

# CompressionCodec numbers.
UNCOMPRESSED, SNAPPY, GZIP, LZ4, ZSTD, LZ4_RAW = 0, 1, 2, 5, 6, 7
# Encoding numbers.
PLAIN, PLAIN_DICTIONARY, RLE, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY = 0, 2, 3, 5, 6
DELTA_BYTE_ARRAY, RLE_DICTIONARY, BYTE_STREAM_SPLIT = 7, 8, 9
# Indexes into kColumns of parquet_page_fuzz.cc.
(K_BOOL, K_I32, K_I64, K_FLOAT, K_DOUBLE, K_STRING, K_DEC38, K_DATE, K_TS_MICROS, K_TS_NANOS,
 K_INT96, K_DEC9, K_DEC18, K_DEC_BYTES, K_INT16, K_UINT64, K_FLBA3, K_LIST_I32,
 K_LIST_STRING) = range(19)


def uvarint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zz(v):
    return uvarint((v << 1) ^ (v >> 63) if v < 0 else v << 1)


def pack_bits(values, width):
    """Little-endian bit packing, as Parquet's bit-packed runs and miniblocks."""
    acc, bits, out = 0, 0, bytearray()
    for v in values:
        acc |= (v & ((1 << width) - 1)) << bits
        bits += width
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc & 0xFF)
    return bytes(out)


def hybrid(values, width):
    """RLE / bit-packed hybrid: runs of 8 equal values as RLE, the rest bit-packed."""
    out = bytearray()
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        if j - i >= 8:
            out += uvarint((j - i) << 1)
            out += values[i].to_bytes((width + 7) // 8, 'little')
            i = j
            continue
        group = values[i:i + 8]
        group += [0] * (8 - len(group))
        out += uvarint((1 << 1) | 1)
        out += pack_bits(group, width)
        i += 8
    return bytes(out)


def delta_binary_packed(values, block=128, miniblocks=4):
    out = bytearray(uvarint(block) + uvarint(miniblocks) + uvarint(len(values)))
    out += zz(values[0] if values else 0)
    deltas = [b - a for a, b in zip(values, values[1:])]
    per_mini = block // miniblocks
    for start in range(0, len(deltas), block):
        chunk = deltas[start:start + block]
        lo = min(chunk)
        out += zz(lo)
        minis = [chunk[k:k + per_mini] for k in range(0, len(chunk), per_mini)]
        widths = []
        for m in minis:
            widths.append(max((d - lo).bit_length() for d in m))
        widths += [0] * (miniblocks - len(widths))
        out += bytes(widths)
        for m, w in zip(minis, widths):
            padded = [d - lo for d in m] + [0] * (per_mini - len(m))
            out += pack_bits(padded, w)
    return bytes(out)


def plain(kind, values):
    if kind == 'bool':
        return pack_bits([1 if v else 0 for v in values], 1)
    if kind == 'i32':
        return b''.join(struct.pack('<i', v) for v in values)
    if kind == 'i64':
        return b''.join(struct.pack('<q', v) for v in values)
    if kind == 'float':
        return b''.join(struct.pack('<f', v) for v in values)
    if kind == 'double':
        return b''.join(struct.pack('<d', v) for v in values)
    if kind == 'bytes':
        return b''.join(struct.pack('<I', len(v)) + v for v in values)
    if kind == 'fixed':
        return b''.join(values)
    raise ValueError(kind)


def byte_stream_split(raw, width):
    n = len(raw) // width
    return bytes(raw[i * width + s] for s in range(width) for i in range(n))


# Codecs: valid streams without compression libraries but zlib.
def snappy(data):
    out = bytearray(uvarint(len(data)))
    for i in range(0, len(data), 60):
        piece = data[i:i + 60]
        out.append((len(piece) - 1) << 2)
        out += piece
    return bytes(out)


def lz4_block(data):
    n = len(data)
    token = min(n, 15) << 4
    out = bytearray([token])
    if n >= 15:
        rest = n - 15
        while rest >= 255:
            out.append(255)
            rest -= 255
        out.append(rest)
    return bytes(out) + data


def lz4_hadoop(data):
    block = lz4_block(data)
    return struct.pack('>II', len(data), len(block)) + block


def zstd_raw(data):
    n = len(data)
    if n < 256:
        header = bytes([0x20, n])  # single segment, 1-byte content size
    else:
        header = bytes([0x60]) + struct.pack('<H', n - 256)
    block = (1 | (n << 3)).to_bytes(3, 'little')  # last block, raw
    return struct.pack('<I', 0xFD2FB528) + header + block + data


def gzip(data):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


COMPRESS = {UNCOMPRESSED: lambda d: d, SNAPPY: snappy, GZIP: gzip, LZ4: lz4_hadoop,
            ZSTD: zstd_raw, LZ4_RAW: lambda d: lz4_block(d)}


def page_header(page_type, uncompressed, compressed, member_id, member):
    return Struct((1, i32(page_type)), (2, i32(uncompressed)), (3, i32(compressed)),
                  (member_id, struct_(member))).encode()


def data_page_v1(codec, count, encoding, values, defs=None, def_width=0, reps=None, rep_width=0):
    body = bytearray()
    if reps is not None:
        r = hybrid(reps, rep_width)
        body += struct.pack('<I', len(r)) + r
    if defs is not None:
        d = hybrid(defs, def_width)
        body += struct.pack('<I', len(d)) + d
    body += values
    compressed = COMPRESS[codec](bytes(body))
    member = Struct((1, i32(count)), (2, i32(encoding)), (3, i32(RLE)), (4, i32(RLE)))
    return page_header(0, len(body), len(compressed), 5, member) + compressed


def data_page_v2(codec, count, nulls, rows, encoding, values, defs=None, def_width=0, reps=None,
                 rep_width=0):
    r = hybrid(reps, rep_width) if reps is not None else b''
    d = hybrid(defs, def_width) if defs is not None else b''
    compressed = COMPRESS[codec](values)
    member = Struct((1, i32(count)), (2, i32(nulls)), (3, i32(rows)), (4, i32(encoding)),
                    (5, i32(len(d))), (6, i32(len(r))), (7, boolean(True)))
    return (page_header(3, len(r) + len(d) + len(values), len(r) + len(d) + len(compressed), 8,
                        member) + r + d + compressed)


def dictionary_page(codec, count, values):
    compressed = COMPRESS[codec](values)
    member = Struct((1, i32(count)), (2, i32(PLAIN)))
    return page_header(2, len(values), len(compressed), 7, member) + compressed


def seed(kind, codec, rows, chunk, required=False, values=None):
    flags = codec | (8 if required else 0)
    return bytes([kind, flags]) + struct.pack('<HH', rows, rows if values is None else values) + chunk


def optional_page(codec, kind_name, values, encoding=PLAIN, encoded=None):
    """A v1 page of an OPTIONAL column: every third value NULL."""
    defs = [0 if i % 3 == 1 else 1 for i in range(len(values))]
    present = [v for v, d in zip(values, defs) if d]
    body = encoded(present) if encoded else plain(kind_name, present)
    return data_page_v1(codec, len(values), encoding, body, defs, 1)


def seeds():
    out = {}
    n = 100
    ints = [(i * 7919) % 1000 - 500 for i in range(n)]
    strings = [('s%d' % (i % 13)).encode() * (1 + i % 3) for i in range(n)]
    for codec in COMPRESS:
        out['i32_plain_c%d' % codec] = seed(K_I32, codec, n, optional_page(codec, 'i32', ints))
        out['string_plain_c%d' % codec] = seed(K_STRING, codec, n,
                                               optional_page(codec, 'bytes', strings))
        dictionary = [('word%d' % k).encode() for k in range(13)]
        indices = [i % 13 for i in range(n)]
        dict_body = bytes([4]) + hybrid(indices, 4)
        chunk = (dictionary_page(codec, 13, plain('bytes', dictionary)) +
                 data_page_v1(codec, n, RLE_DICTIONARY, dict_body, [1] * n, 1))
        out['string_dict_c%d' % codec] = seed(K_STRING, codec, n, chunk)
    # Every physical type and annotation, PLAIN, uncompressed.
    out['bool_plain'] = seed(K_BOOL, 0, n, optional_page(0, 'bool', [i % 5 == 0 for i in range(n)]))
    out['i64_plain'] = seed(K_I64, 0, n, optional_page(0, 'i64', [v << 33 for v in ints]))
    out['float_plain'] = seed(K_FLOAT, 0, n, optional_page(0, 'float', [v / 4 for v in ints]))
    out['double_plain'] = seed(K_DOUBLE, 0, n, optional_page(0, 'double', [v / 8 for v in ints]))
    dec16 = [v.to_bytes(16, 'big', signed=True) for v in ints]
    out['dec38_plain'] = seed(K_DEC38, 0, n, optional_page(0, 'fixed', dec16))
    out['date_plain'] = seed(K_DATE, 0, n, optional_page(0, 'i32', ints))
    out['ts_micros_plain'] = seed(K_TS_MICROS, 0, n, optional_page(0, 'i64', [v * 10**9 for v in ints]))
    out['ts_nanos_plain'] = seed(K_TS_NANOS, 0, n, optional_page(0, 'i64', [v * 10**12 for v in ints]))
    int96 = [struct.pack('<qi', abs(v) * 10**9, 2440588 + v) for v in ints]
    out['int96_plain'] = seed(K_INT96, 0, n, optional_page(0, 'fixed', int96))
    out['dec9_plain'] = seed(K_DEC9, 0, n, optional_page(0, 'i32', ints))
    out['dec18_plain'] = seed(K_DEC18, 0, n, optional_page(0, 'i64', ints))
    dec_bytes = [v.to_bytes(3, 'big', signed=True) for v in ints]
    out['dec_bytes_plain'] = seed(K_DEC_BYTES, 0, n, optional_page(0, 'bytes', dec_bytes))
    out['int16_plain'] = seed(K_INT16, 0, n, optional_page(0, 'i32', ints))
    out['uint64_plain'] = seed(K_UINT64, 0, n, optional_page(0, 'i64', [abs(v) for v in ints]))
    out['flba3_plain'] = seed(K_FLBA3, 0, n, optional_page(0, 'fixed', [b'abc'] * n))
    # A page of only NULLs: no values at all (a null pointer once reached
    # memcpy, found by the fuzzer).
    for kind, name in ((K_I64, 'i64'), (K_BOOL, 'bool'), (K_DOUBLE, 'double')):
        out['%s_all_null' % name] = seed(kind, 0, n, data_page_v1(0, n, PLAIN, b'', [0] * n, 1))
    # REQUIRED columns: no definition levels.
    out['i32_required'] = seed(K_I32, 0, n, data_page_v1(0, n, PLAIN, plain('i32', ints)),
                               required=True)
    # The other encodings.
    out['i64_delta'] = seed(K_I64, 0, n, optional_page(
        0, 'i64', [v * 1000 + i for i, v in enumerate(ints)], DELTA_BINARY_PACKED,
        delta_binary_packed))
    out['i32_delta_required'] = seed(K_I32, SNAPPY, 300, data_page_v1(
        SNAPPY, 300, DELTA_BINARY_PACKED, delta_binary_packed([i * 3 - 7 for i in range(300)])),
        required=True)
    lengths = delta_binary_packed([len(s) for s in strings])
    out['string_delta_length_v2'] = seed(K_STRING, 0, n, data_page_v2(
        0, n, 0, n, DELTA_LENGTH_BYTE_ARRAY, lengths + b''.join(strings), [1] * n, 1))
    prefixes = [0] + [min(2, len(strings[i]), len(strings[i - 1])) if strings[i][:2] ==
                      strings[i - 1][:2] else 0 for i in range(1, n)]
    suffixes = [s[p:] for s, p in zip(strings, prefixes)]
    dba = (delta_binary_packed(prefixes) + delta_binary_packed([len(s) for s in suffixes]) +
           b''.join(suffixes))
    out['string_delta_byte_array_v2'] = seed(K_STRING, GZIP, n, data_page_v2(
        GZIP, n, 0, n, DELTA_BYTE_ARRAY, dba, [1] * n, 1))
    floats = plain('float', [v / 3 for v in ints])
    out['float_bss'] = seed(K_FLOAT, 0, n, data_page_v1(
        0, n, BYTE_STREAM_SPLIT, byte_stream_split(floats, 4)), required=True)
    doubles = plain('double', [v / 7 for v in ints])
    out['double_bss_v2'] = seed(K_DOUBLE, ZSTD, n, data_page_v2(
        ZSTD, n, 0, n, BYTE_STREAM_SPLIT, byte_stream_split(doubles, 8)), required=True)
    bools = [1 if i % 4 else 0 for i in range(n)]
    rle_bools = hybrid(bools, 1)
    out['bool_rle_v2'] = seed(K_BOOL, 0, n, data_page_v2(
        0, n, 0, n, RLE, struct.pack('<I', len(rle_bools)) + rle_bools), required=True)
    # Several pages in one chunk: v1 then v2, a dictionary shared by both.
    dictionary = plain('i64', [k * 11 for k in range(20)])
    idx = [i % 20 for i in range(60)]
    chunk = (dictionary_page(SNAPPY, 20, dictionary) +
             data_page_v1(SNAPPY, 60, RLE_DICTIONARY, bytes([5]) + hybrid(idx, 5), [1] * 60, 1) +
             data_page_v2(SNAPPY, 60, 10, 60, RLE_DICTIONARY, bytes([5]) + hybrid(idx[:50], 5),
                          [1] * 50 + [0] * 10, 1) +
             data_page_v1(SNAPPY, 60, PLAIN, plain('i64', list(range(60))), [1] * 60, 1))
    out['i64_three_pages'] = seed(K_I64, SNAPPY, 180, chunk)
    # LIST leaves: repetition levels (max 1) and definition levels (max 3).
    reps, defs, elements = [], [], []
    for r in range(40):
        if r % 7 == 3:
            reps.append(0)
            defs.append(0)  # a NULL list
            continue
        k = r % 4
        if k == 0:
            reps.append(0)
            defs.append(1)  # an empty list
            continue
        for e in range(k):
            reps.append(0 if e == 0 else 1)
            if (r + e) % 5 == 0:
                defs.append(2)  # a NULL element
            else:
                defs.append(3)
                elements.append(r * 10 + e)
    out['list_i32_v1'] = seed(K_LIST_I32, 0, 40, data_page_v1(
        0, len(defs), PLAIN, plain('i32', elements), defs, 2, reps, 1), values=len(defs))
    out['list_i32_v2'] = seed(K_LIST_I32, LZ4_RAW, 40, data_page_v2(
        LZ4_RAW, len(defs), defs.count(0) + defs.count(1) + defs.count(2), 40, PLAIN,
        plain('i32', elements), defs, 2, reps, 1), values=len(defs))
    words = [('e%d' % v).encode() for v in elements]
    out['list_string_v1'] = seed(K_LIST_STRING, GZIP, 40, data_page_v1(
        GZIP, len(defs), PLAIN, plain('bytes', words), defs, 2, reps, 1), values=len(defs))
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(sys.argv[1], 'seed_' + name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
