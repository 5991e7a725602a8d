"""The extended query protocol of `basalt server` byte by byte: Parse, Bind,
Describe, Execute (with row limits and portal suspension), Close, Sync and
Flush; text and binary formats both ways; parameter type inference; and the
errors that must be answered with an ErrorResponse, followed by skipping to
the next Sync, rather than a crash or a hang.

Run by ctest with BASALT_BIN set (see tests/server/CMakeLists.txt).
"""

import datetime
import decimal
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_psql import (BasaltServerTestCase, RawClient, data_row, error_fields,  # noqa: E402
                       row_description)

INT4, INT8, TEXT, NUMERIC, DATE, FLOAT8, BOOL, VARCHAR = 23, 20, 25, 1700, 1082, 701, 16, 1043
PG_EPOCH = datetime.date(2000, 1, 1)


def cstr(text):
    return text.encode() + b"\0"


class ExtendedClient(RawClient):
    def parse(self, sql, oids=(), name=""):
        body = cstr(name) + cstr(sql) + struct.pack("!h", len(oids))
        body += b"".join(struct.pack("!i", oid) for oid in oids)
        self.send(b"P", body)

    def bind(self, values=(), formats=(), result_formats=(), statement="", portal=""):
        body = cstr(portal) + cstr(statement)
        body += struct.pack("!h", len(formats)) + b"".join(struct.pack("!h", f) for f in formats)
        body += struct.pack("!h", len(values))
        for value in values:
            if value is None:
                body += struct.pack("!i", -1)
            else:
                data = value.encode() if isinstance(value, str) else value
                body += struct.pack("!i", len(data)) + data
        body += struct.pack("!h", len(result_formats))
        body += b"".join(struct.pack("!h", f) for f in result_formats)
        self.send(b"B", body)

    def describe(self, kind, name=""):
        self.send(b"D", kind + cstr(name))

    def execute(self, max_rows=0, portal=""):
        self.send(b"E", cstr(portal) + struct.pack("!i", max_rows))

    def close_object(self, kind, name=""):
        self.send(b"C", kind + cstr(name))

    def sync(self):
        self.send(b"S")
        return self.read_until_ready()


def kinds(messages):
    return [kind.decode() for kind, _ in messages]


def binary_numeric(body):
    ndigits, weight, sign, dscale = struct.unpack("!hhHh", body[:8])
    digits = struct.unpack("!%dh" % ndigits, body[8:8 + 2 * ndigits])
    value = decimal.Decimal(0)
    for i, digit in enumerate(digits):
        value += decimal.Decimal(digit) * (decimal.Decimal(10000) ** (weight - i))
    value = value.quantize(decimal.Decimal(1).scaleb(-dscale))
    return -value if sign == 0x4000 else value


def raw_row(body):
    """A DataRow's values as bytes (for binary results)."""
    (count,) = struct.unpack("!h", body[:2])
    pos, values = 2, []
    for _ in range(count):
        (length,) = struct.unpack("!i", body[pos:pos + 4])
        pos += 4
        values.append(None if length < 0 else body[pos:pos + length])
        pos += max(length, 0)
    return values


class ExtendedProtocolTest(BasaltServerTestCase):
    def setUp(self):
        super().setUp()
        self.client = ExtendedClient(self.port)
        self.client.connect()
        self.addCleanup(self.client.close)
        setup = self.client.query(
            "CREATE TABLE t (n INTEGER, name VARCHAR, price DECIMAL(10,2), day DATE);"
            "INSERT INTO t VALUES (1, 'one', 1.50, DATE '2024-01-02'), "
            "(2, 'two', 20.25, DATE '1999-12-31'), (3, 'three', NULL, NULL)")
        self.assertNotIn(b"E", [kind for kind, _ in setup])

    def test_unnamed_statement_with_a_text_parameter(self):
        c = self.client
        c.parse("SELECT $1::integer + 1 AS answer")
        c.bind(["41"])
        c.describe(b"P")
        c.execute()
        messages = c.sync()
        self.assertEqual(kinds(messages), ["1", "2", "T", "D", "C", "Z"])
        self.assertEqual(row_description(messages[2][1])[0][:2], ("answer", INT4))
        self.assertEqual(data_row(messages[3][1]), ["42"])
        self.assertEqual(messages[4][1], b"SELECT 1\0")

    def test_describe_statement_infers_parameter_types(self):
        c = self.client
        c.parse("SELECT name, price FROM t WHERE n > $1 AND name <> $2 AND day < $3", name="s1")
        c.describe(b"S", "s1")
        messages = c.sync()
        self.assertEqual(kinds(messages), ["1", "t", "T", "Z"])
        body = messages[1][1]
        (count,) = struct.unpack("!h", body[:2])
        self.assertEqual(struct.unpack("!%di" % count, body[2:]), (INT4, TEXT, DATE))
        columns = row_description(messages[2][1])
        self.assertEqual([(name, oid) for name, oid, *_ in columns],
                         [("name", TEXT), ("price", NUMERIC)])
        # The named statement can be bound many times.
        for bound, expected in ((["1", "x", "2030-01-01"], [["two", "20.25"]]),
                                (["2", "three", "2030-01-01"], [])):
            c.bind(bound, statement="s1")
            c.execute()
            messages = c.sync()
            self.assertEqual([data_row(b) for k, b in messages if k == b"D"], expected)

    def test_declared_types_and_binary_parameters(self):
        c = self.client
        c.parse("SELECT n, name FROM t WHERE n = $1 OR price = $2 OR day = $3",
                oids=(INT4, NUMERIC, DATE))
        days = (datetime.date(1999, 12, 31) - PG_EPOCH).days
        # 1.50: digits 1 and 5000 (base 10000), weight 0, positive, dscale 2.
        numeric_1_50 = struct.pack("!hhHh", 2, 0, 0, 2) + struct.pack("!hh", 1, 5000)
        c.bind([struct.pack("!i", 1), numeric_1_50, struct.pack("!i", days)], formats=(1, 1, 1))
        c.execute()
        messages = c.sync()
        self.assertEqual(kinds(messages), ["1", "2", "D", "D", "C", "Z"], messages)
        self.assertEqual(sorted(data_row(b) for k, b in messages if k == b"D"),
                         [["1", "one"], ["2", "two"]])

    def test_binary_results_for_every_type(self):
        c = self.client
        c.parse("SELECT n, CAST(n AS BIGINT), name, price, day, n / 4.0e0, n > 1, "
                "INTERVAL '1 day', TIMESTAMP '2000-01-01 00:00:01' FROM t WHERE n = 2")
        c.bind(result_formats=(1,))
        c.describe(b"P")
        c.execute()
        messages = c.sync()
        self.assertEqual(kinds(messages), ["1", "2", "T", "D", "C", "Z"])
        self.assertTrue(all(fmt == 1 for *_, fmt in row_description(messages[2][1])))
        n, n8, name, price, day, ratio, flag, interval, ts = raw_row(messages[3][1])
        self.assertEqual(struct.unpack("!i", n), (2,))
        self.assertEqual(struct.unpack("!q", n8), (2,))
        self.assertEqual(name, b"two")
        self.assertEqual(binary_numeric(price), decimal.Decimal("20.25"))
        self.assertEqual(PG_EPOCH + datetime.timedelta(days=struct.unpack("!i", day)[0]),
                         datetime.date(1999, 12, 31))
        self.assertEqual(struct.unpack("!d", ratio), (0.5,))
        self.assertEqual(flag, b"\x01")
        self.assertEqual(struct.unpack("!qii", interval), (0, 1, 0))
        self.assertEqual(struct.unpack("!q", ts), (1000000,))

    def test_lists_and_structs_are_text_in_both_formats(self):
        """LIST and STRUCT values travel as text (OID 25), their text being
        DuckDB's, in the text and the binary result format alike; a
        parameter of such a type in binary is a clear 0A000."""
        c = self.client
        for result_format in (0, 1):
            c.parse("SELECT [n, NULL] AS l, {'a': n, 'b': name} AS s FROM t WHERE n = 2")
            c.bind(result_formats=(result_format,))
            c.describe(b"P")
            c.execute()
            messages = c.sync()
            self.assertEqual(kinds(messages), ["1", "2", "T", "D", "C", "Z"])
            columns = row_description(messages[2][1])
            self.assertEqual([(name, oid) for name, oid, *_ in columns], [("l", TEXT), ("s", TEXT)])
            self.assertEqual(raw_row(messages[3][1]), [b"[2, NULL]", b"{'a': 2, 'b': two}"])
        c.parse("SELECT $1 = [1, 2]")
        c.bind([b"[1, 2]"], formats=(1,))
        c.execute()
        messages = c.sync()
        self.assertIn(b"0A000", b"".join(body for kind, body in messages if kind == b"E"))

    def test_execute_with_row_limit_suspends_the_portal(self):
        c = self.client
        c.parse("SELECT * FROM range(0, 10) ORDER BY 1")
        c.bind()
        c.execute(3)
        c.execute(3)
        c.execute(0)
        messages = c.sync()
        self.assertEqual(kinds(messages),
                         ["1", "2"] + ["D"] * 3 + ["s"] + ["D"] * 3 + ["s"] + ["D"] * 4 +
                         ["C", "Z"])
        rows = [data_row(b)[0] for k, b in messages if k == b"D"]
        self.assertEqual(rows, [str(i) for i in range(10)])
        self.assertEqual(messages[-2][1], b"SELECT 4\0")
        # The portal is gone after Sync ends the implicit transaction.
        c.execute(0)
        messages = c.sync()
        self.assertEqual(kinds(messages), ["E", "Z"])
        self.assertEqual(error_fields(messages[0][1])["C"], "34000")

    def test_insert_with_parameters_and_no_data(self):
        c = self.client
        c.parse("INSERT INTO t VALUES ($1, $2, $3, $4)", name="ins")
        for values in (["4", "four", "4.40", "2024-04-04"], ["5", None, None, None]):
            c.bind(values, statement="ins")
            c.describe(b"P")
            c.execute()
        messages = c.sync()
        self.assertEqual(kinds(messages), ["1", "2", "n", "C", "2", "n", "C", "Z"])
        self.assertEqual(messages[3][1], b"INSERT 0 1\0")
        rows = [data_row(b) for k, b in c.query("SELECT * FROM t WHERE n >= 4 ORDER BY n")
                if k == b"D"]
        self.assertEqual(rows, [["4", "four", "4.40", "2024-04-04"], ["5", None, None, None]])

    def test_errors_skip_to_sync_and_the_session_goes_on(self):
        c = self.client
        cases = [
            # (messages to send, expected SQLSTATE)
            (lambda: (c.bind(statement="missing"), c.execute()), "26000"),
            (lambda: (c.parse("SELECT $1::integer"), c.bind(["1", "2"])), "08P01"),
            (lambda: (c.parse("SELECT $1::integer"), c.bind(["abc"])), "22P02"),
            (lambda: (c.parse("SELECT $1", oids=(INT4,)), c.bind([b"\x00"], formats=(1,))),
             "22P03"),
            (lambda: c.parse("SELEC 1"), "42601"),
            (lambda: c.parse("SELECT 1; SELECT 2"), "42601"),
            (lambda: c.parse("SELECT nope FROM t"), "42703"),
            (lambda: c.parse("SELECT $1", oids=(600,)), "0A000"),
            (lambda: c.execute(portal="nope"), "34000"),
            (lambda: (c.parse("SELECT 1"), c.bind(result_formats=(0, 1))), None),
            (lambda: (c.parse("SELECT 1", name="dup"), c.parse("SELECT 2", name="dup")), "42P05"),
        ]
        for send, code in cases:
            send()
            c.execute()  # skipped after the error
            messages = c.sync()
            errors = [error_fields(b) for k, b in messages if k == b"E"]
            if code is None:  # result formats are checked against the columns at Execute
                self.assertEqual(len(errors), 1, messages)
                self.assertEqual(errors[0]["C"], "08P01")
            else:
                self.assertEqual(len(errors), 1, (code, messages))
                self.assertEqual(errors[0]["C"], code, errors[0])
            self.assertEqual(kinds(messages)[-1], "Z")
            self.assertNotIn("D", kinds(messages))
        # A syntax error in Parse points into the statement.
        c.parse("SELECT 1 +")
        messages = c.sync()
        self.assertEqual(error_fields(messages[0][1])["P"], "11")
        # Everything above left the session usable.
        self.assertEqual(kinds(c.query("SELECT 1")), ["T", "D", "C", "Z"])

    def test_limit_and_offset_parameters(self):
        c = self.client
        # LIMIT $1 and OFFSET $2 take untyped values as counts of rows; the
        # statement describes without them.
        c.parse("SELECT n FROM t ORDER BY n LIMIT $1 OFFSET $2", name="lim")
        c.describe(b"S", "lim")
        messages = c.sync()
        self.assertEqual(kinds(messages), ["1", "t", "T", "Z"])
        c.bind(["2", "0"], statement="lim")
        c.describe(b"P")
        c.execute()
        messages = c.sync()
        self.assertEqual(kinds(messages), ["2", "T", "D", "D", "C", "Z"], messages)
        self.assertEqual([data_row(b) for k, b in messages if k == b"D"], [["1"], ["2"]])

    def test_an_extended_protocol_error_fails_the_transaction_block(self):
        c = self.client
        self.assertEqual(c.query("BEGIN")[-1][1], b"T")
        c.parse("SELECT $1::integer")
        c.bind(["not a number"])
        messages = c.sync()
        self.assertEqual(error_fields(messages[1][1])["C"], "22P02")
        self.assertEqual(messages[-1][1], b"E")
        messages = c.query("SELECT 1")
        self.assertEqual(error_fields(messages[0][1])["C"], "25P02")
        messages = c.query("COMMIT")
        self.assertEqual(messages[-2][1], b"ROLLBACK\0")
        self.assertEqual(messages[-1][1], b"I")

    def test_portals_end_with_a_block_ended_by_a_simple_query(self):
        c = self.client
        c.query("BEGIN")
        c.parse("SELECT 1", name="one")
        c.bind(statement="one", portal="p")
        self.assertEqual(kinds(c.sync()), ["1", "2", "Z"])
        c.query("COMMIT")
        c.bind(statement="one", portal="p")  # the name is free again
        c.execute(portal="p")
        self.assertEqual(kinds(c.sync()), ["2", "D", "C", "Z"])

    def test_changed_columns_after_parse_are_reported(self):
        c = self.client
        c.query("CREATE TABLE shape (a INTEGER)")
        c.parse("SELECT * FROM shape", name="s")
        c.describe(b"S", "s")
        self.assertEqual(kinds(c.sync()), ["1", "t", "T", "Z"])
        c.query("DROP TABLE shape; CREATE TABLE shape (a VARCHAR, b INTEGER)")
        c.bind(statement="s")
        c.execute()
        messages = c.sync()
        self.assertEqual(kinds(messages), ["2", "E", "Z"])
        fields = error_fields(messages[1][1])
        self.assertEqual((fields["C"], fields["M"]),
                         ("0A000", "cached plan must not change result type"))

    def test_startup_errors(self):
        # Protocol 2.0 is refused; a startup packet without a user too.
        for params, code in ((None, "0A000"), ({"database": "basalt"}, "28000")):
            client = RawClient(self.port)
            if params is None:
                client.sock.sendall(struct.pack("!ii", 8, 2 << 16))
            else:
                client.send_startup(params)
            kind, body = client.read_message()
            fields = error_fields(body)
            self.assertEqual((kind, fields["S"], fields["C"]), (b"E", "FATAL", code))
            with self.assertRaises(EOFError):
                client.read_message()
            client.close()
        # A 3.1 client with a protocol option hears that the server speaks 3.0.
        client = RawClient(self.port)
        body = struct.pack("!i", (3 << 16) | 1) + b"user\0basalt\0_pq_.x\0y\0\0"
        client.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        messages = client.read_until_ready()
        self.assertEqual(messages[0][0], b"v")
        self.assertEqual(struct.unpack("!ii", messages[0][1][:8]), (3 << 16, 1))
        client.close()

    def test_startup_parameters_become_session_settings(self):
        client = RawClient(self.port)
        client.send_startup({"user": "basalt", "application_name": "probe"})
        messages = client.read_until_ready()
        status = {}
        for kind, body in messages:
            if kind == b"S":
                name, value = body.split(b"\0")[:2]
                status[name.decode()] = value.decode()
        self.assertEqual(status["application_name"], "probe")
        self.assertEqual(status["server_version"], "15.0 (Basalt)")
        self.assertEqual(status["DateStyle"], "ISO, MDY")
        rows = [data_row(b) for k, b in client.query("SHOW application_name") if k == b"D"]
        self.assertEqual(rows, [["probe"]])
        # Settings are per session: another connection has the default.
        rows = [data_row(b) for k, b in self.client.query("SHOW application_name") if k == b"D"]
        self.assertEqual(rows, [[""]])
        client.close()

    def test_function_call_is_refused_without_a_sync(self):
        self.client.send(b"F", struct.pack("!ihhh", 1, 0, 0, 0))
        messages = self.client.read_until_ready()
        self.assertEqual(kinds(messages), ["E", "Z"])
        self.assertEqual(error_fields(messages[0][1])["C"], "0A000")

    def test_close_statement_then_bind_fails(self):
        c = self.client
        c.parse("SELECT 1", name="s")
        c.close_object(b"S", "s")
        c.close_object(b"P", "never-existed")
        c.bind(statement="s")
        messages = c.sync()
        self.assertEqual(kinds(messages), ["1", "3", "3", "E", "Z"])
        self.assertEqual(error_fields(messages[3][1])["C"], "26000")

    def test_flush_sends_replies_before_sync(self):
        c = self.client
        c.parse("SELECT 7")
        c.bind()
        c.execute()
        c.send(b"H")
        self.assertEqual([c.read_message()[0] for _ in range(4)], [b"1", b"2", b"D", b"C"])
        self.assertEqual(kinds(c.sync()), ["Z"])

    def test_empty_query_and_transaction_status(self):
        c = self.client
        c.parse("")
        c.bind()
        c.execute()
        self.assertEqual(kinds(c.sync()), ["1", "2", "I", "Z"])
        c.parse("BEGIN")
        c.bind()
        c.execute()
        messages = c.sync()
        self.assertEqual(messages[-1][1], b"T")
        c.parse("COMMIT")
        c.bind()
        c.execute()
        self.assertEqual(c.sync()[-1][1], b"I")

    def test_commit_outside_a_block_sends_a_warning_notice(self):
        messages = self.client.query("COMMIT; BEGIN; BEGIN; COMMIT")
        self.assertEqual(kinds(messages), ["N", "C", "C", "N", "C", "C", "Z"])
        notices = [error_fields(b) for k, b in messages if k == b"N"]
        self.assertEqual([(n["S"], n["C"]) for n in notices], [("WARNING", "25P01"),
                                                                ("WARNING", "25001")])
        self.assertEqual(notices[0]["M"], "there is no transaction in progress")

    def test_parameters_in_a_simple_query_are_an_error(self):
        messages = self.client.query("SELECT $1")
        self.assertEqual(error_fields(messages[0][1])["C"], "42P02")

    def test_unknown_message_type_closes_the_connection(self):
        self.client.send(b"y", b"")
        kind, body = self.client.read_message()
        self.assertEqual((kind, error_fields(body)["C"]), (b"E", "08P01"))
        with self.assertRaises(EOFError):
            self.client.read_message()
        other = ExtendedClient(self.port)
        other.connect()
        self.assertEqual(kinds(other.query("SELECT 1")), ["T", "D", "C", "Z"])
        other.close()


if __name__ == "__main__":
    unittest.main()
