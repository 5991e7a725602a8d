#!/usr/bin/env python3
"""Writes the seed corpus of server_message_fuzz into a directory: a few
valid client streams (simple and extended queries, binary values of every
parameter type, a SCRAM exchange, request codes), each one byte (how the fuzzer cuts the stream) followed
by the bytes a client sends from the start of a connection.

    python3 fuzz/make_seed_corpus.py DIR
"""

import os
import struct
import sys

PROTOCOL_3_0 = 196608


def packet(body):
    """A startup-phase packet: length, then the body."""
    return struct.pack("!i", len(body) + 4) + body


def message(kind, body=b""):
    return kind + struct.pack("!i", len(body) + 4) + body


def cstr(text):
    return text.encode() + b"\0"


def startup(params=None, protocol=PROTOCOL_3_0):
    params = params or {"user": "basalt", "database": "basalt", "application_name": "fuzz"}
    body = struct.pack("!i", protocol)
    for name, value in params.items():
        body += cstr(name) + cstr(value)
    return packet(body + b"\0")


def parse(name, query, oids=()):
    return message(b"P", cstr(name) + cstr(query) + struct.pack("!h", len(oids)) +
                   b"".join(struct.pack("!i", o) for o in oids))


def bind(portal, statement, values=(), formats=(), result_formats=()):
    body = cstr(portal) + cstr(statement)
    body += struct.pack("!h", len(formats)) + b"".join(struct.pack("!h", f) for f in formats)
    body += struct.pack("!h", len(values))
    for v in values:
        body += struct.pack("!i", -1) if v is None else struct.pack("!i", len(v)) + v
    body += struct.pack("!h", len(result_formats))
    body += b"".join(struct.pack("!h", f) for f in result_formats)
    return message(b"B", body)


def describe(target, name):
    return message(b"D", target + cstr(name))


def close(target, name):
    return message(b"C", target + cstr(name))


def execute(portal, max_rows=0):
    return message(b"E", cstr(portal) + struct.pack("!i", max_rows))


def numeric(ndigits_words, weight, sign, dscale):
    """PostgreSQL's numeric binary format: header, then base-10000 words."""
    return struct.pack("!hhHh", len(ndigits_words), weight, sign, dscale) + \
        b"".join(struct.pack("!h", w) for w in ndigits_words)


# One binary value of each parameter type, OIDs as Parse declares them.
BINARY_VALUES = [
    (16, b"\x01"),                                         # bool
    (21, struct.pack("!h", -2)),                           # int2
    (23, struct.pack("!i", 7)),                            # int4
    (20, struct.pack("!q", 1 << 40)),                      # int8
    (700, struct.pack("!f", 1.5)),                         # float4
    (701, struct.pack("!d", -0.1)),                        # float8
    (1700, numeric([1, 2345, 6780], 1, 0, 3)),             # numeric 12345.678
    (1700, numeric([500], -1, 0x4000, 2)),                 # numeric -0.05
    (1700, numeric([9999] * 10, 9, 0, 1)),                 # numeric, 40 digits
    (25, b"text"),                                         # text
    (1082, struct.pack("!i", -1)),                         # date 1999-12-31
    (1114, struct.pack("!q", 86400 * 1000000 + 1)),        # timestamp
    (1186, struct.pack("!qii", 3723000000, 2, 14)),        # interval
]


def sasl_initial(mechanism, data):
    return message(b"p", cstr(mechanism) + struct.pack("!i", len(data)) + data)


SYNC = message(b"S")
FLUSH = message(b"H")
TERMINATE = message(b"X")

SEEDS = {
    "extended_unnamed": bytes([0]) + startup() + parse("", "select $1::integer + 1", [23]) +
    bind("", "", [b"41"]) + describe(b"P", "") + execute("") + SYNC + TERMINATE,
    "extended_named_binary": bytes([1]) + startup() +
    parse("s1", "select $1, $2, $3", [23, 25, 0]) + describe(b"S", "s1") + FLUSH +
    bind("p1", "s1", [struct.pack("!i", 7), None, b"text"], [1, 0, 0], [1]) +
    execute("p1", 10) + execute("p1", -1) + close(b"P", "p1") + close(b"S", "s1") + SYNC +
    TERMINATE,
    "ssl_then_simple_query": bytes([2]) + packet(struct.pack("!i", 80877103)) + startup() +
    message(b"Q", cstr("select 1; select 'two'")) + TERMINATE,
    "protocol_3_2_options": bytes([3]) +
    startup({"user": "u", "_pq_.option": "x"}, protocol=(3 << 16) | 2) +
    parse("", "") + bind("", "", result_formats=[0, 1, 0]) + execute("") + SYNC,
    "cancel_request": bytes([4]) + packet(struct.pack("!iii", 80877102, 1234, 5678)),
    "binary_values_of_every_type": bytes([5]) + startup() +
    parse("b", "select " + ", ".join(f"${i + 1}" for i in range(len(BINARY_VALUES))),
          [oid for oid, _ in BINARY_VALUES]) +
    bind("", "b", [value for _, value in BINARY_VALUES], [1], [1]) + execute("") + SYNC +
    TERMINATE,
    "sasl_exchange": bytes([6]) + startup({"user": "alice"}) +
    sasl_initial("SCRAM-SHA-256", b"n,,n=,r=rOprNGfwEbeRWgbNEkqO") +
    message(b"p", b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                  b"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=") +
    message(b"Q", cstr("select 1")) + TERMINATE,
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
