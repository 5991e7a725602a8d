#!/usr/bin/env python3
"""Writes the seed corpus of parquet_metadata_fuzz into a directory: Parquet
footers (FileMetaData) and page headers of every kind, encoded in the Thrift
compact protocol the way writers encode them, with statistics, logical types,
key/value metadata and fields a reader skips.

    python3 fuzz/make_parquet_seed_corpus.py DIR
"""

import os
import struct
import sys

# Compact protocol type codes.
BOOL_TRUE, BOOL_FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(v):
    return varint((v << 1) ^ (v >> 63) if v < 0 else v << 1)


class Struct:
    """Fields in id order; each value a (type, encoded bytes) pair."""

    def __init__(self, *fields):
        self.fields = fields

    def encode(self):
        out = bytearray()
        last = 0
        for fid, (ftype, payload) in self.fields:
            delta = fid - last
            if 0 < delta <= 15:
                out.append(delta << 4 | ftype)
            else:
                out.append(ftype)
                out += zigzag(fid)
            out += payload
            last = fid
        out.append(0)
        return bytes(out)


def i32(v):
    return (I32, zigzag(v))


def i64(v):
    return (I64, zigzag(v))


def i16(v):
    return (I16, zigzag(v))


def byte(v):
    return (BYTE, bytes([v & 0xFF]))


def boolean(v):
    return (BOOL_TRUE if v else BOOL_FALSE, b"")


def binary(v):
    v = v.encode() if isinstance(v, str) else v
    return (BINARY, varint(len(v)) + v)


def struct_(s):
    return (STRUCT, s.encode())


def list_(element_type, encoded_elements):
    n = len(encoded_elements)
    head = bytes([n << 4 | element_type]) if n < 15 else bytes([0xF0 | element_type]) + varint(n)
    return (LIST, head + b"".join(encoded_elements))


def structs(items):
    return list_(STRUCT, [s.encode() for s in items])


def statistics(nulls, lo, hi):
    return Struct((1, binary(hi)), (2, binary(lo)), (3, i64(nulls)), (5, binary(hi)),
                  (6, binary(lo)), (7, boolean(True)), (8, boolean(True)))


def column_chunk(ptype, name, offset, codec, dictionary):
    meta = [(1, i32(ptype)),
            (2, list_(I32, [zigzag(0), zigzag(3), zigzag(8)] if dictionary else [zigzag(0)])),
            (3, list_(BINARY, [varint(len(name)) + name.encode()])),
            (4, i32(codec)), (5, i64(1000)), (6, i64(4000)), (7, i64(2500)),
            (8, structs([Struct((1, binary("k")), (2, binary("v")))])),
            (9, i64(offset + (40 if dictionary else 0)))]
    if dictionary:
        meta.append((11, i64(offset)))
    meta.append((12, struct_(statistics(3, struct.pack("<i", -5), struct.pack("<i", 99)))))
    meta.append((13, structs([Struct((1, i32(0)), (2, i32(8)), (3, i32(2)))])))
    meta.append((14, i64(offset + 9000)))
    meta.append((15, i32(64)))
    return Struct((2, i64(0)), (3, struct_(Struct(*meta))), (4, i64(offset + 8000)),
                  (5, i32(30)), (6, i64(offset + 8100)), (7, i32(40)))


def logical(member_id, member=None):
    """A LogicalType union with one member set."""
    return struct_(Struct((member_id, struct_(member or Struct()))))


def schema():
    micros = Struct((2, struct_(Struct())))
    timestamp = Struct((1, boolean(True)), (2, struct_(micros)))
    root = Struct((4, binary("duckdb_schema")), (5, i32(7)))
    leaves = [
        Struct((1, i32(2)), (3, i32(0)), (4, binary("id")), (6, i32(18))),
        Struct((1, i32(6)), (3, i32(1)), (4, binary("name")), (6, i32(0)), (10, logical(1))),
        Struct((1, i32(1)), (3, i32(1)), (4, binary("price")), (6, i32(5)), (7, i32(2)),
               (8, i32(9)), (10, logical(5, Struct((1, i32(2)), (2, i32(9)))))),
        Struct((1, i32(2)), (3, i32(1)), (4, binary("ts")), (6, i32(10)),
               (10, logical(8, timestamp))),
        Struct((1, i32(1)), (3, i32(1)), (4, binary("u8")), (6, i32(11)),
               (10, logical(10, Struct((1, byte(8)), (2, boolean(False)))))),
        Struct((1, i32(7)), (2, i32(16)), (3, i32(1)), (4, binary("dec38")), (6, i32(5)),
               (7, i32(10)), (8, i32(38))),
        Struct((1, i32(1)), (3, i32(1)), (4, binary("d")), (6, i32(6)), (9, i32(12)),
               (10, logical(6))),
    ]
    return [root] + leaves


def footer(row_groups, codec, with_extras):
    groups = []
    for g in range(row_groups):
        base = 4 + g * 10000
        chunks = [column_chunk(2, "id", base, codec, False),
                  column_chunk(6, "name", base + 1000, codec, True),
                  column_chunk(1, "price", base + 2000, codec, False)]
        groups.append(Struct((1, structs(chunks)), (2, i64(12000)), (3, i64(1000)),
                             (4, structs([Struct((1, i32(0)), (2, boolean(False)),
                                                 (3, boolean(True)))])),
                             (5, i64(base)), (6, i64(7500)), (7, i16(g))))
    fields = [(1, i32(1)), (2, structs(schema())), (3, i64(1000 * row_groups)),
              (4, structs(groups))]
    if with_extras:
        fields.append((5, structs([Struct((1, binary("ARROW:schema")), (2, binary("/////")))])))
    fields.append((6, binary("DuckDB version v1.5.6 (build 069cc9f9b5)")))
    if with_extras:
        fields.append((7, structs([Struct((1, struct_(Struct()))) for _ in range(7)])))
    return Struct(*fields).encode()


def page_headers():
    stats = struct_(statistics(1, b"\x00\x00\x00\x00", b"\x10\x00\x00\x00"))
    v1 = Struct((1, i32(0)), (2, i32(400)), (3, i32(220)), (4, i32(-12345)),
                (5, struct_(Struct((1, i32(100)), (2, i32(8)), (3, i32(3)), (4, i32(3)),
                                   (5, stats)))))
    dictionary = Struct((1, i32(2)), (2, i32(80)), (3, i32(60)),
                        (7, struct_(Struct((1, i32(20)), (2, i32(0)), (3, boolean(False))))))
    v2 = Struct((1, i32(3)), (2, i32(400)), (3, i32(300)),
                (8, struct_(Struct((1, i32(100)), (2, i32(4)), (3, i32(100)), (4, i32(8)),
                                   (5, i32(12)), (6, i32(0)), (7, boolean(False)), (8, stats)))))
    index = Struct((1, i32(1)), (2, i32(0)), (3, i32(0)), (6, struct_(Struct())))
    # Each header is followed by a few page bytes, as in a file.
    return [h.encode() + b"\x02\x00\x00\x00\x11\x22" for h in (v1, dictionary, v2, index)]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_parquet_seed_corpus.py DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {
        "footer_one_group": footer(1, 1, False),
        "footer_three_groups_extras": footer(3, 6, True),
        "footer_empty": footer(0, 0, True),
    }
    for i, header in enumerate(page_headers()):
        seeds[f"page_header_{i}"] = header
    for name, data in seeds.items():
        with open(os.path.join(out, "seed_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
