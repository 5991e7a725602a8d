#!/usr/bin/env python3
"""Compares TPC-H results and prints the benchmark table.

Reads the output directories of basalt_tpch_runner and duckdb_runner.mjs
(<query>.csv with `name:TYPE` header fields, and timings.tsv), or the stored
answers under tests/tpch/answers/. Standard library only.

  compare.py report --basalt DIR --duckdb DIR --sql-dir DIR --queries q01,q02 \
                    [--title TEXT] [--out FILE]
      The benchmark table; exit 1 if the rows of any query differ.
  compare.py check --actual DIR --expected DIR --sql-dir DIR --queries q01,q02
      The answer test: exit 1 if any query errors or differs.

Rules for "the same rows":
  - Same number of columns and rows; column names are not compared (the
    engines name unaliased expressions differently).
  - Row order counts only when the query has an ORDER BY outside parentheses;
    otherwise both sides are sorted first.
  - NULL matches only NULL.
  - Two integers (INTEGER, BIGINT, ...) must be equal.
  - Other numbers (DECIMAL, DOUBLE, REAL, or an integer against one of those)
    are compared as numbers: they match when they are within 1e-6 of each
    other relatively, or when a DECIMAL(p,s) side equals the other rounded to
    s digits (|a - b| <= 0.5e-s): Basalt's avg(decimal) is a DECIMAL with six
    digits where DuckDB's is a DOUBLE.
  - Everything else compares as text, trailing spaces ignored (CHAR(n)).
"""

import argparse
import csv
import math
import re
import statistics
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

REL_TOLERANCE = Decimal("1e-6")
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                 "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT", "INT2", "INT4", "INT8"}
FLOAT_TYPES = {"REAL", "FLOAT", "DOUBLE", "FLOAT4", "FLOAT8", "DOUBLE PRECISION"}
DECIMAL_RE = re.compile(r"^(?:DECIMAL|NUMERIC)\((\d+),\s*(\d+)\)$")


class Column:
    """A result column's type as the engine named it."""

    def __init__(self, header_field):
        name, _, type_name = header_field.rpartition(":")
        if not name:  # no type in the header
            name, type_name = header_field, ""
        self.name = name
        self.type = type_name.upper()
        match = DECIMAL_RE.match(self.type)
        self.scale = int(match.group(2)) if match else None
        if self.type in INTEGER_TYPES:
            self.kind = "int"
        elif self.type in FLOAT_TYPES:
            self.kind = "float"
        elif match:
            self.kind = "decimal"
        else:
            self.kind = "text"

    @property
    def numeric(self):
        return self.kind != "text"


class Result:
    def __init__(self, path):
        with open(path, newline="", encoding="utf-8") as f:
            # The csv module cannot tell an empty field (NULL) from "" (the
            # empty string), so fields are split here.
            lines = f.read().split("\n")
        records = list(_parse_csv_records(lines))
        if not records:
            raise ValueError(f"{path}: empty file")
        self.columns = [Column(field) for field in records[0]]
        self.rows = records[1:]
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"{path}: row {i + 1} has {len(row)} fields, "
                                 f"header has {len(self.columns)}")


def _parse_csv_records(lines):
    """RFC 4180 records; an unquoted empty field is None, a quoted one ''."""
    text = "\n".join(lines)
    i, n = 0, len(text)
    record, field, quoted, in_quotes, started = [], [], False, False, False
    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"')
                    i += 1
                else:
                    in_quotes = False
            else:
                field.append(c)
        elif c == '"':
            in_quotes, quoted, started = True, True, True
        elif c == ",":
            record.append("".join(field) if (field or quoted) else None)
            field, quoted, started = [], False, True
        elif c == "\n":
            if started or field or quoted:
                record.append("".join(field) if (field or quoted) else None)
                yield record
            record, field, quoted, started = [], [], False, False
        else:
            field.append(c)
            started = True
        i += 1
    if started or field or quoted:
        record.append("".join(field) if (field or quoted) else None)
        yield record


def _number(text):
    try:
        return Decimal(text)
    except InvalidOperation:
        # DuckDB and Basalt spell non-finite doubles differently.
        lowered = text.strip().lower()
        if lowered in ("nan", "-nan"):
            return Decimal("NaN")
        if lowered in ("inf", "infinity", "+infinity"):
            return Decimal("Infinity")
        if lowered in ("-inf", "-infinity"):
            return Decimal("-Infinity")
        return None


def values_match(a, col_a, b, col_b):
    if a is None or b is None:
        return a is None and b is None
    if col_a.numeric and col_b.numeric:
        x, y = _number(a), _number(b)
        if x is None or y is None:
            return a == b
        if x.is_nan() or y.is_nan():
            return x.is_nan() and y.is_nan()
        if x.is_infinite() or y.is_infinite():
            return x == y
        if col_a.kind == "int" and col_b.kind == "int":
            return x == y
        diff = abs(x - y)
        if diff <= REL_TOLERANCE * max(abs(x), abs(y)):
            return True
        scales = [c.scale for c in (col_a, col_b) if c.kind == "decimal"]
        if scales:
            return diff <= Decimal(5) * Decimal(10) ** (-min(scales) - 1)
        return False
    return a.rstrip(" ") == b.rstrip(" ")


def _sort_key(row, columns):
    key = []
    for value, column in zip(row, columns):
        if value is None:
            key.append((0, 0, ""))
        elif column.numeric and _number(value) is not None and _number(value).is_finite():
            key.append((1, float(_number(value)), ""))
        else:
            key.append((2, 0, value.rstrip(" ")))
    return key


def compare_results(expected, actual, ordered, names=("expected", "got")):
    """Returns None when the rows match, else a sentence saying what differs.

    `names` name the two sides in that sentence."""
    exp_name, act_name = names
    if len(expected.columns) != len(actual.columns):
        return (f"{act_name} {len(actual.columns)} columns, "
                f"{exp_name} {len(expected.columns)}")
    exp_rows, act_rows = expected.rows, actual.rows
    if len(exp_rows) != len(act_rows):
        return f"{act_name} {len(act_rows)} rows, {exp_name} {len(exp_rows)}"
    if not ordered:
        exp_rows = sorted(exp_rows, key=lambda r: _sort_key(r, expected.columns))
        act_rows = sorted(act_rows, key=lambda r: _sort_key(r, actual.columns))
    for i, (e, a) in enumerate(zip(exp_rows, act_rows)):
        for c in range(len(e)):
            if not values_match(e[c], expected.columns[c], a[c], actual.columns[c]):
                name = expected.columns[c].name
                return (f"{'row' if ordered else 'sorted row'} {i + 1}, column {c + 1} ({name}): "
                        f"{act_name} {_show(a[c])} ({actual.columns[c].type}), "
                        f"{exp_name} {_show(e[c])} ({expected.columns[c].type})")
    return None


def _show(value):
    return "NULL" if value is None else repr(value)


def has_order_by(sql):
    """Whether a statement in `sql` has an ORDER BY outside parentheses."""
    text = re.sub(r"--[^\n]*", " ", sql)
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"'(?:[^']|'')*'", "''", text)
    depth = 0
    top = []
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            top.append(c)
    return re.search(r"\border\s+by\b", "".join(top), re.I) is not None


class Timing:
    def __init__(self, status="missing", times=(), rows="", message=""):
        self.status = status
        self.times = list(times)
        self.rows = rows
        self.message = message

    @property
    def ok(self):
        return self.status == "ok"

    @property
    def median(self):
        return statistics.median(self.times) if self.times else None


def read_timings(directory):
    timings = {}
    path = Path(directory) / "timings.tsv"
    if not path.exists():
        return timings
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        fields += [""] * (5 - len(fields))
        name, status, times, rows, message = fields[:5]
        if name == "@load" and name in timings:
            continue  # a runner restarted after a crash loads again; keep the first
        timings[name] = Timing(status, [float(t) for t in times.split(",") if t], rows, message)
    return timings


def _query_label(name):
    return name.upper() if re.fullmatch(r"q\d+", name) else name


def _format_ms(ms):
    return "-" if ms is None else f"{ms:.1f}"


def _geomean(values):
    return math.exp(sum(math.log(max(v, 1e-3)) for v in values) / len(values))


def _load_and_compare(sql_dir, name, expected_dir, actual_dir, names=("expected", "got")):
    """Returns (verdict, detail) for one query whose both sides ran."""
    try:
        expected = Result(Path(expected_dir) / f"{name}.csv")
        actual = Result(Path(actual_dir) / f"{name}.csv")
        sql = (Path(sql_dir) / f"{name}.sql").read_text(encoding="utf-8")
    except (OSError, ValueError) as e:
        return "error", str(e)
    difference = compare_results(expected, actual, has_order_by(sql), names)
    return ("yes", "") if difference is None else ("no", difference)


def render_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    def line(cells):
        out = []
        for i, cell in enumerate(cells):
            cell = str(cell)
            out.append(cell.ljust(widths[i]) if i in (0, len(cells) - 1) else cell.rjust(widths[i]))
        return " | ".join(out).rstrip()
    sep = "-+-".join("-" * w for w in widths)
    return [line(header), sep] + [line(r) for r in rows]


def cmd_report(args):
    queries = [q for q in args.queries.split(",") if q]
    basalt = read_timings(args.basalt)
    duck = read_timings(args.duckdb)
    rows, notes, basalt_ok, duck_ok = [], [], [], []
    any_differ = False
    for name in queries:
        b, d = basalt.get(name, Timing()), duck.get(name, Timing())
        if b.ok and d.ok:
            verdict, detail = _load_and_compare(args.sql_dir, name, args.duckdb, args.basalt,
                                                ("DuckDB", "Basalt"))
        else:
            verdict = "error"
            detail = "; ".join(f"{engine} {t.status}: {t.message}".rstrip(": ")
                               for engine, t in (("Basalt", b), ("DuckDB", d)) if not t.ok)
        if verdict == "no":
            any_differ = True
        if detail:
            notes.append(f"{_query_label(name)}: {detail}")
        b_cell = _format_ms(b.median) if b.ok else b.status
        d_cell = _format_ms(d.median) if d.ok else d.status
        ratio = "-"
        if b.ok and d.ok and b.median is not None and d.median is not None:
            ratio = f"{b.median / max(d.median, 1e-3):.2f}"
            basalt_ok.append(b.median)
            duck_ok.append(d.median)
        rows.append([_query_label(name), b_cell, d_cell, ratio, verdict])
    b_load, d_load = basalt.get("@load", Timing()), duck.get("@load", Timing())
    footer = []
    footer.append(["load", _format_ms(b_load.median) if b_load.ok else b_load.status,
                   _format_ms(d_load.median) if d_load.ok else d_load.status,
                   f"{b_load.median / d_load.median:.2f}" if b_load.ok and d_load.ok else "-", ""])
    if basalt_ok:
        gb, gd = _geomean(basalt_ok), _geomean(duck_ok)
        footer.append([f"geomean ({len(basalt_ok)} q)", f"{gb:.1f}", f"{gd:.1f}",
                       f"{gb / gd:.2f}", ""])
    else:
        footer.append(["geomean (0 q)", "-", "-", "-", ""])
    lines = []
    if args.title:
        lines.append(args.title)
    table = render_table(["query", "Basalt ms", "DuckDB ms", "Basalt/DuckDB", "rows match"],
                         rows + footer)
    # A rule above the load and geomean lines.
    split = 2 + len(rows)
    lines += table[:split] + [table[1]] + table[split:]
    lines.append("")
    matched = sum(1 for r in rows if r[4] == "yes")
    lines.append(f"{matched} of {len(rows)} queries match, "
                 f"{sum(1 for r in rows if r[4] == 'no')} differ, "
                 f"{sum(1 for r in rows if r[4] == 'error')} errors. "
                 "Times are medians; load is one run; the geomean covers the queries that ran "
                 "on both engines.")
    if notes:
        lines.append("")
        lines += notes
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 1 if any_differ else 0


def cmd_check(args):
    queries = [q for q in args.queries.split(",") if q]
    timings = read_timings(args.actual)
    failed = []
    for name in queries:
        t = timings.get(name, Timing())
        if not t.ok:
            message = t.message or ("no result (the runner crashed?)" if t.status == "missing" else "")
            print(f"FAIL {_query_label(name)}: {t.status} {message}".rstrip())
            failed.append(name)
            continue
        verdict, detail = _load_and_compare(args.sql_dir, name, args.expected, args.actual)
        if verdict == "yes":
            print(f"ok   {_query_label(name)}")
        else:
            print(f"FAIL {_query_label(name)}: {detail}")
            failed.append(name)
    print(f"{len(queries) - len(failed)} passed, {len(failed)} failed")
    if failed:
        print("failing: " + " ".join(_query_label(n) for n in failed))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report")
    report.add_argument("--basalt", required=True)
    report.add_argument("--duckdb", required=True)
    report.add_argument("--sql-dir", required=True)
    report.add_argument("--queries", required=True)
    report.add_argument("--title")
    report.add_argument("--out")
    check = sub.add_parser("check")
    check.add_argument("--actual", required=True)
    check.add_argument("--expected", required=True)
    check.add_argument("--sql-dir", required=True)
    check.add_argument("--queries", required=True)
    args = parser.parse_args()
    return cmd_report(args) if args.command == "report" else cmd_check(args)


if __name__ == "__main__":
    sys.exit(main())
