"""The HTTP REST API, /metrics and the query history (docs/http_api.md),
tested against real `basalt server` processes over HTTP on 127.0.0.1.

- SingleNodeRestTest: one server on a data directory shared by its tests
  (POST /api/v1/query and its value types, paging, wait_ms / progress /
  cancel, plans, psql clients in the list, the catalog, the node list,
  /metrics, bad input).
- HistoryRestTest: servers of their own: the history across a SIGTERM
  restart (REST list, sys.queries, old plans), and an in-memory server.
- ClusterRestTest: `basalt cluster start` with two executors: the node list,
  a query's plan placed on hosts, an executor killed with SIGKILL shown as
  failed.

Run by ctest with BASALT_BIN set (tests/http/CMakeLists.txt), or by hand:
  BASALT_BIN=build/basalt python3 tests/http/test_rest_api.py [TestClass]
Needs psql (postgresql-client, scripts/setup.sh); fails without it. Uses
the Python standard library only. Every process a test starts, it stops by
pid (SIGTERM, then SIGKILL after a timeout).
"""

import http.client
import json
import math
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

BASALT_BIN = os.environ.get("BASALT_BIN", "build/basalt")
PSQL = shutil.which("psql")
STARTUP_TIMEOUT = 20
STOP_TIMEOUT = 10
HTTP_TIMEOUT = 30

# What /metrics must carry (docs/http_api.md, "Metrics"), with its type.
REQUIRED_METRICS = {
    "basalt_queries_total": "counter",
    "basalt_queries_running": "gauge",
    "basalt_query_duration_seconds": "histogram",
    "basalt_rows_scanned_total": "counter",
    "basalt_bytes_scanned_total": "counter",
    "basalt_exchange_bytes_total": "counter",
    "basalt_memory_in_use_bytes": "gauge",
    "basalt_memory_limit_bytes": "gauge",
    "basalt_spill_bytes_total": "counter",
    "basalt_admission_admitted_total": "counter",
    "basalt_admission_queued": "gauge",
    "basalt_admission_rejected_total": "counter",
    "basalt_node_up": "gauge",
}

ALL_ROLES = {"coordinator", "executor", "statestore", "catalog"}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def wait_for(condition, timeout, what):
    """Polls `condition` until it returns something truthy, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body  # bytes
        self.text = body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.text)

    def __repr__(self):
        return f"HTTP {self.status}: {self.text[:2000]}"


def request(port, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One HTTP request on a fresh connection; `body` is bytes, str or a
    JSON-able object."""
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    all_headers = {"Content-Type": "application/json"} if body is not None else {}
    all_headers.update(headers or {})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=all_headers)
        r = conn.getresponse()
        return Response(r.status, dict(r.getheaders()), r.read())
    finally:
        conn.close()


class Server:
    """`basalt server` on free loopback ports, stopped by pid at cleanup."""

    def __init__(self, test, data_dir=None, extra=()):
        self.test = test
        self.data_dir = data_dir
        self.extra = list(extra)
        self.port = free_port()
        self.http_port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="basalt_http_test_", suffix=".log")
        self.process = None
        self.start()

    def start(self):
        args = [BASALT_BIN, "server", "--port", str(self.port), "--http-port",
                str(self.http_port), "--listen", "127.0.0.1", "--threads", "2", *self.extra]
        if self.data_dir:
            args += ["--data-dir", self.data_dir]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited during startup:\n{self.read_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                if request(self.http_port, "GET", "/api/v1/cluster/nodes", timeout=2).status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.cleanup()
                raise AssertionError(f"server did not start listening:\n{self.read_log()}")
            time.sleep(0.05)

    def read_log(self):
        try:
            with open(self.log.name, "rb") as f:
                return f.read().decode(errors="replace")[-6000:]
        except OSError:
            return ""

    def stop(self):
        """SIGTERM; the server must exit 0 within STOP_TIMEOUT seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"server did not stop within {STOP_TIMEOUT} s of SIGTERM:\n"
                                 f"{self.read_log()}")
        if self.process.returncode != 0:
            raise AssertionError(f"server exit status {self.process.returncode} after SIGTERM:\n"
                                 f"{self.read_log()}")

    def cleanup(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self):
        self.cleanup()
        self.log.close()

    # --- HTTP helpers --------------------------------------------------
    def get(self, path, **kw):
        return request(self.http_port, "GET", path, **kw)

    def delete(self, path):
        return request(self.http_port, "DELETE", path)

    def post(self, body, **kw):
        return request(self.http_port, "POST", "/api/v1/query", body=body, **kw)

    def query(self, sql, **fields):
        """POSTs `sql`; the answer must be 200 finished."""
        r = self.post({"sql": sql, **fields})
        if r.status != 200:
            raise AssertionError(f"POST {sql!r}: {r}\nserver log:\n{self.read_log()}")
        out = r.json()
        if out.get("state") != "finished":
            raise AssertionError(f"POST {sql!r}: state {out.get('state')!r}: {r}")
        return out

    def info(self, query_id):
        r = self.get(f"/api/v1/queries/{query_id}")
        if r.status != 200:
            raise AssertionError(f"GET query {query_id}: {r}")
        return r.json()

    def queries(self, limit=100):
        r = self.get(f"/api/v1/queries?limit={limit}")
        if r.status != 200:
            raise AssertionError(f"GET queries: {r}")
        return r.json()["queries"]

    def psql(self, sql, user="basalt"):
        if PSQL is None:
            raise AssertionError("psql is not installed (postgresql-client, scripts/setup.sh)")
        result = subprocess.run(
            [PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", user, "-d", "basalt", "-X",
             "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        if result.returncode != 0:
            raise AssertionError(f"psql -c {sql!r}: {result.stderr}")
        return result.stdout


def parse_metrics(text):
    """Prometheus text format: ({(name, frozenset(labels)): value}, {name: help},
    {name: type})."""
    samples, helps, types = {}, {}, {}
    line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
    label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            helps[name] = help_text
            continue
        if line.startswith("# TYPE "):
            name, _, kind = line[7:].partition(" ")
            types[name] = kind
            continue
        if line.startswith("#"):
            continue
        m = line_re.match(line)
        if not m:
            raise AssertionError(f"not a Prometheus sample line: {line!r}")
        labels = frozenset(label_re.findall(m.group(2) or ""))
        value = m.group(3)
        samples[(m.group(1), labels)] = float(value.replace("+Inf", "inf"))
    return samples, helps, types


def walk_operators(node):
    yield node
    for child in node.get("children", []):
        yield from walk_operators(child)


def plan_operators(plan):
    for fragment in plan["fragments"]:
        if fragment.get("root"):
            yield from walk_operators(fragment["root"])


def quote(name):
    return urllib.parse.quote(name, safe="")


class ServerTestCase(unittest.TestCase):
    def assertError(self, r, status, code, position=None):
        """`r` is an HTTP error answer with a JSON {"error": {...}}."""
        self.assertEqual(r.status, status, r)
        self.assertIn("application/json", r.headers.get("Content-Type", ""), r)
        body = r.json()
        self.assertIsInstance(body.get("error"), dict, r)
        self.assertEqual(body["error"].get("code"), code, r)
        self.assertIsInstance(body["error"].get("message"), str, r)
        self.assertTrue(body["error"]["message"], r)
        if position is not None:
            self.assertEqual(body["error"].get("position"), position, r)
        return body


class SingleNodeRestTest(ServerTestCase):
    """One server on a data directory for every test of the class; tests
    that count use differences, so their order does not matter."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="basalt_http_")
        cls.server = Server(cls, data_dir=os.path.join(cls.tmp, "data"))
        # t: 200k rows, for the long cross join and the plans.
        cls.server.query("CREATE TABLE t AS SELECT x FROM generate_series(1, 200000) g(x)")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # --- POST /api/v1/query ------------------------------------------------
    def test_select_value_types(self):
        s = self.server
        out = s.query(
            "SELECT 1 AS i, NULL AS n, true AS b, false AS f, 9000000000::BIGINT AS big, "
            "1.5::DOUBLE AS d, 12.34::DECIMAL(10,2) AS dec, DATE '2024-01-02' AS dt, "
            "TIMESTAMP '2024-01-02 03:04:05' AS ts, 'nan'::DOUBLE AS nan, "
            "'inf'::DOUBLE AS inf, '-inf'::DOUBLE AS ninf, 'x\"<y>' AS s, "
            "CAST(NULL AS INTEGER) AS ni")
        self.assertRegex(out["id"], r"^q[0-9a-f]+$")
        self.assertEqual(out["tag"], "SELECT 1")
        self.assertEqual(out["row_count"], 1)
        self.assertEqual(out["offset"], 0)
        self.assertIsNone(out["next_offset"])
        self.assertIsInstance(out["duration_ms"], (int, float))
        self.assertGreaterEqual(out["duration_ms"], 0)
        names = [c["name"] for c in out["columns"]]
        self.assertEqual(names, ["i", "n", "b", "f", "big", "d", "dec", "dt", "ts", "nan", "inf",
                                 "ninf", "s", "ni"])
        types = {c["name"]: c["type"] for c in out["columns"]}
        self.assertEqual(types["i"], "INTEGER")
        self.assertEqual(types["b"], "BOOLEAN")
        self.assertEqual(types["big"], "BIGINT")
        self.assertEqual(types["d"], "DOUBLE")
        self.assertEqual(types["dec"], "DECIMAL(10,2)")
        self.assertEqual(types["dt"], "DATE")
        self.assertEqual(types["ts"], "TIMESTAMP")
        self.assertEqual(types["s"], "VARCHAR")
        self.assertEqual(types["ni"], "INTEGER")
        row = dict(zip(names, out["rows"][0]))
        self.assertIs(type(row["i"]), int)
        self.assertEqual(row["i"], 1)
        self.assertIsNone(row["n"])
        self.assertIsNone(row["ni"])
        self.assertIs(row["b"], True)
        self.assertIs(row["f"], False)
        self.assertIs(type(row["big"]), int)
        self.assertEqual(row["big"], 9000000000)
        self.assertIs(type(row["d"]), float)
        self.assertEqual(row["d"], 1.5)
        self.assertEqual(row["dec"], "12.34")
        self.assertEqual(row["dt"], "2024-01-02")
        self.assertEqual(row["ts"], "2024-01-02 03:04:05")
        self.assertEqual(row["nan"], "NaN")
        self.assertEqual(row["inf"], "Infinity")
        self.assertEqual(row["ninf"], "-Infinity")
        self.assertEqual(row["s"], 'x"<y>')

        out = s.query("SELECT 5::SMALLINT AS sm, 2.5::REAL AS r, INTERVAL '1 day' AS iv, "
                      "[1, 2] AS l, {'a': 1} AS st, sum(x) AS total, 'ü' AS u "
                      "FROM generate_series(1, 3) g(x)")
        self.assertEqual([c["type"] for c in out["columns"]],
                         ["SMALLINT", "REAL", "INTERVAL", "INTEGER[]", "STRUCT(a INTEGER)",
                          "DECIMAL(38,0)", "VARCHAR"])
        self.assertEqual(out["rows"], [[5, 2.5, "1 day", "[1, 2]", "{'a': 1}", "6", "ü"]])
        self.assertIs(type(out["rows"][0][0]), int)

    def test_multi_statement_set_then_select(self):
        s = self.server
        out = s.query("SET application_name = 'rest_one'; SHOW application_name")
        self.assertEqual(out["rows"], [["rest_one"]])
        # The id is the last statement's.
        self.assertEqual(s.info(out["id"])["sql"], "SHOW application_name")
        # A fresh session per request: the SET is gone.
        self.assertEqual(s.query("SHOW application_name")["rows"], [[""]])
        # Both statements are listed, client http.
        listed = {q["sql"]: q for q in s.queries(limit=50)}
        self.assertEqual(listed["SET application_name = 'rest_one'"]["client"], "http")
        self.assertEqual(listed["SET application_name = 'rest_one'"]["state"], "finished")

    def test_paging_through_kept_rows(self):
        s = self.server
        s.query("CREATE TABLE paged AS SELECT x FROM generate_series(1, 2500) g(x)")
        out = s.query("SELECT x, x * 2 AS y FROM paged ORDER BY x", page_size=1000)
        self.assertEqual(out["row_count"], 2500)
        self.assertEqual(out["offset"], 0)
        self.assertEqual(out["next_offset"], 1000)
        self.assertEqual(out["rows"], [[i, 2 * i] for i in range(1, 1001)])
        qid = out["id"]
        seen = list(out["rows"])
        offset = out["next_offset"]
        while offset is not None:
            r = s.get(f"/api/v1/queries/{qid}/rows?offset={offset}&limit=1000")
            self.assertEqual(r.status, 200, r)
            page = r.json()
            self.assertEqual(page["id"], qid)
            self.assertEqual(page["offset"], offset)
            self.assertEqual(page["row_count"], 2500)
            self.assertEqual([c["name"] for c in page["columns"]], ["x", "y"])
            seen += page["rows"]
            offset = page["next_offset"]
        self.assertEqual(seen, [[i, 2 * i] for i in range(1, 2501)])
        # An explicit window in the middle, and one past the end.
        page = s.get(f"/api/v1/queries/{qid}/rows?offset=2498&limit=10").json()
        self.assertEqual(page["rows"], [[2499, 4998], [2500, 5000]])
        self.assertIsNone(page["next_offset"])
        page = s.get(f"/api/v1/queries/{qid}/rows?offset=1234&limit=3").json()
        self.assertEqual(page["rows"], [[1235, 2470], [1236, 2472], [1237, 2474]])
        self.assertEqual(page["next_offset"], 1237)
        page = s.get(f"/api/v1/queries/{qid}/rows?offset=5000").json()
        self.assertEqual(page["rows"], [])
        self.assertIsNone(page["next_offset"])
        # Default page (1000 rows) from offset 0.
        page = s.get(f"/api/v1/queries/{qid}/rows").json()
        self.assertEqual(len(page["rows"]), 1000)
        self.assertEqual(page["next_offset"], 1000)
        # The query is listed with its rows.
        self.assertEqual(s.info(qid)["rows"], 2500)
        self.assertTrue(s.info(qid)["has_rows"])

    # --- wait_ms, progress, cancel -------------------------------------------
    def test_long_query_progress_and_cancel(self):
        s = self.server
        before = parse_metrics(s.get("/metrics").text)[0]
        sql = "SELECT count(*) FROM t a, t b"
        started = time.monotonic()
        r = s.post({"sql": sql, "wait_ms": 400})
        waited = time.monotonic() - started
        self.assertEqual(r.status, 202, r)
        self.assertGreaterEqual(waited, 0.35)
        self.assertLess(waited, 10)
        out = r.json()
        qid = out["id"]
        try:
            self.assertEqual(out["state"], "running")
            self.assertRegex(qid, r"^q[0-9a-f]+$")
            self.assertIsInstance(out["progress"], dict, r)
            for key in ("instances_done", "instances_total", "rows_scanned", "rows_estimated",
                        "fraction"):
                self.assertIn(key, out["progress"])
            self.assertGreater(out["progress"]["instances_total"], 0)

            def listed_with_scan_progress():
                for q in s.queries(limit=10):
                    if q["id"] == qid and q["state"] == "running" and \
                            q["progress"]["rows_scanned"] > 0:
                        return q
                return None

            listed = wait_for(listed_with_scan_progress, 15, "the running query with progress")
            self.assertEqual(listed["sql"], sql)
            self.assertEqual(listed["client"], "http")
            self.assertEqual(listed["user"], "basalt")
            self.assertIsNone(listed["error"])
            self.assertRegex(listed["start"], ISO_UTC)
            self.assertGreater(listed["duration_ms"], 0)
            fraction = listed["progress"]["fraction"]
            self.assertGreaterEqual(fraction, 0)
            self.assertLessEqual(fraction, 1)
            # Running queries come first.
            self.assertEqual(s.queries(limit=5)[0]["state"], "running")
            running_info = s.info(qid)
            self.assertEqual(running_info["state"], "running")
            self.assertIsInstance(running_info["progress"], dict)
            # While it runs, the plan is there (figures of finished instances).
            self.assertIsNotNone(running_info["plan"])
            self.assertGreaterEqual(len(running_info["plan"]["fragments"]), 2)
            running_gauge = parse_metrics(s.get("/metrics").text)[0]
            self.assertGreaterEqual(running_gauge[("basalt_queries_running", frozenset())], 1)

            r = s.get(f"/api/v1/queries/{qid}/rows")
            self.assertError(r, 409, "55000")
        finally:
            r = s.delete(f"/api/v1/queries/{qid}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"id": qid, "cancelled": True})
        cancelled_at = time.monotonic()
        info = wait_for(lambda: (lambda i: i if i["state"] != "running" else None)(s.info(qid)),
                        5, "the cancelled query to end")
        self.assertLess(time.monotonic() - cancelled_at, 5)
        self.assertEqual(info["state"], "cancelled", info)
        self.assertEqual(info["error"]["code"], "57014", info)
        self.assertIsNone(info["progress"])
        r = s.delete(f"/api/v1/queries/{qid}")
        self.assertError(r, 409, "55000")
        # Its rows were never kept.
        self.assertError(s.get(f"/api/v1/queries/{qid}/rows"), 404, "42704")
        after = parse_metrics(s.get("/metrics").text)[0]
        key = ("basalt_queries_total", frozenset({("state", "cancelled")}))
        self.assertEqual(after[key], before[key] + 1)

    def test_cancelled_query_answer_when_waiting(self):
        """A POST that waits (no wait_ms) for a query cancelled through DELETE
        answers 409 with state cancelled and code 57014."""
        s = self.server
        answer = {}

        def post():
            answer["r"] = s.post({"sql": "SELECT count(*) FROM t a, t b WHERE a.x < b.x"})

        thread = threading.Thread(target=post)
        thread.start()
        try:
            q = wait_for(lambda: next((q for q in s.queries(limit=10)
                                       if q["state"] == "running" and "a.x < b.x" in q["sql"]),
                                      None), 10, "the query to be listed as running")
            self.assertEqual(s.delete(f"/api/v1/queries/{q['id']}").status, 200)
        finally:
            thread.join(15)
        self.assertFalse(thread.is_alive(), "the POST did not answer after the cancel")
        r = answer["r"]
        body = self.assertError(r, 409, "57014")
        self.assertEqual(body["state"], "cancelled")
        self.assertEqual(body["id"], q["id"])

    # --- plans -----------------------------------------------------------------
    def test_query_plan(self):
        s = self.server
        out = s.query("SELECT x % 3 AS k, count(*) AS n FROM t GROUP BY k ORDER BY k")
        self.assertEqual(out["rows"], [[0, 66666], [1, 66667], [2, 66667]])
        info = s.info(out["id"])
        self.assertEqual(info["state"], "finished")
        self.assertEqual(info["rows"], 3)
        self.assertIsNone(info["error"])
        self.assertIsInstance(info["plan_text"], str)
        self.assertTrue(info["plan_text"].strip(), info)
        plan = info["plan"]
        self.assertIsInstance(plan, dict, info)
        self.assertEqual(plan["rows_returned"], 3)
        self.assertGreaterEqual(plan["wall_ms"], 0)
        fragments = plan["fragments"]
        self.assertGreaterEqual(len(fragments), 1)
        fragment_ids = {f["id"] for f in fragments}
        self.assertEqual(len(fragment_ids), len(fragments))
        self.assertEqual([f for f in fragments if f["output"] == "client"].__len__(), 1)
        for f in fragments:
            self.assertGreaterEqual(f["parallelism"], 1)
            self.assertIn("hosts", f)
            self.assertIsInstance(f["root"], dict)
        operators = list(plan_operators(plan))
        names = [o["name"] for o in operators]
        self.assertIn("TableScan", names)
        for o in operators:
            for key in ("id", "name", "details", "estimated_rows", "rows", "time_ms", "self_ms",
                        "slowest", "children"):
                self.assertIn(key, o, o)
            self.assertGreaterEqual(o["time_ms"], o["self_ms"] - 1e-6, o)
            if o["name"] == "ExchangeReceiver":
                self.assertIn(o["source_fragment"], fragment_ids, o)
        scans = [o for o in operators if o["name"] == "TableScan"]
        self.assertEqual(sum(o["rows"] for o in scans), 200000)
        # The client-facing root returns the three groups.
        root = next(f for f in fragments if f["output"] == "client")["root"]
        self.assertEqual(root["rows"], 3)
        slowest = [o for o in operators if o["slowest"] is True]
        self.assertEqual(len(slowest), 1, [(o["name"], o["self_ms"]) for o in operators])
        self.assertEqual(slowest[0]["self_ms"], max(o["self_ms"] for o in operators))
        # The list carries no plans.
        listed = next(q for q in s.queries(limit=50) if q["id"] == out["id"])
        self.assertNotIn("plan", listed)

    def test_ddl_has_no_plan(self):
        s = self.server
        out = s.query("CREATE TABLE ddl_only (a INTEGER)")
        self.assertEqual(out["tag"], "CREATE TABLE")
        info = s.info(out["id"])
        self.assertEqual(info["state"], "finished")
        self.assertIsNone(info["plan"])
        # A DDL after a SELECT in the same request does not show the SELECT's plan.
        out = s.query("SELECT count(*) FROM t; CREATE TABLE ddl_two (a INTEGER)")
        self.assertIsNone(s.info(out["id"])["plan"])
        self.assertEqual(s.info(out["id"])["sql"], "CREATE TABLE ddl_two (a INTEGER)")

    def test_insert_rows_recorded(self):
        s = self.server
        s.query("CREATE TABLE ins (a INTEGER)")
        out = s.query("INSERT INTO ins SELECT x FROM generate_series(1, 5) g(x)")
        self.assertEqual(out["tag"], "INSERT 0 5")
        self.assertEqual(s.info(out["id"])["rows"], 5)

    # --- other clients ------------------------------------------------------------
    def test_psql_statements_are_listed(self):
        s = self.server
        marker = f"psql_marker_{os.getpid()}"
        self.assertEqual(s.psql(f"SELECT '{marker}' AS m").strip(), marker)
        listed = [q for q in s.queries(limit=100) if marker in q["sql"]]
        self.assertEqual(len(listed), 1, listed)
        q = listed[0]
        self.assertEqual(q["user"], "basalt")
        self.assertEqual(q["client"], "postgres")
        self.assertEqual(q["state"], "finished")
        self.assertEqual(q["rows"], 1)
        marker2 = marker + "_alice"
        s.psql(f"SELECT '{marker2}' AS m", user="alice")
        q = next(q for q in s.queries(limit=100) if marker2 in q["sql"])
        self.assertEqual(q["user"], "alice")
        self.assertEqual(q["client"], "postgres")
        # sys.queries shows the same entry.
        rows = s.query("SELECT query_id, user_name, client, state, rows FROM sys.queries "
                       f"WHERE query_id = '{q['id']}'")["rows"]
        self.assertEqual(rows, [[q["id"], "alice", "postgres", "finished", 1]])

    # --- catalog ------------------------------------------------------------------
    def test_catalog(self):
        s = self.server
        odd_table = 'odd "name" <script>alert(1)<script> & x%20?#'
        slash_table = '<script>alert(1)</script> a/b'
        odd_column = 'col "one" <b>'
        escaped_table = odd_table.replace('"', '""')
        escaped_column = odd_column.replace('"', '""')
        s.query(f'CREATE TABLE "{escaped_table}" ("{escaped_column}" INTEGER NOT NULL, '
                f'v VARCHAR)')
        s.query(f'INSERT INTO "{escaped_table}" VALUES (1, \'a\'), (2, NULL)')
        s.query("CREATE VIEW cat_view AS SELECT 1 AS one")
        s.query(f'CREATE TABLE "{slash_table}" (a INTEGER)')
        s.query('CREATE SCHEMA "my schema"')
        s.query('CREATE TABLE "my schema"."tab le" (a BIGINT)')

        r = s.get("/api/v1/catalog/schemas")
        self.assertEqual(r.status, 200, r)
        schemas = {x["name"]: x["tables"] for x in r.json()["schemas"]}
        self.assertIn("main", schemas)
        self.assertEqual(schemas["my schema"], 1)
        self.assertIn("sys", schemas)
        self.assertGreaterEqual(schemas["main"], 4)  # t, the odd ones, cat_view

        r = s.get("/api/v1/catalog/schemas/main/tables")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["schema"], "main")
        tables = {x["name"]: x for x in body["tables"]}
        self.assertEqual(tables["t"]["kind"], "table")
        self.assertEqual(tables["t"]["rows"], 200000)
        self.assertEqual(tables["cat_view"]["kind"], "view")
        self.assertIn(odd_table, tables)
        self.assertEqual(tables[odd_table]["rows"], 2)

        r = s.get("/api/v1/catalog/schemas/sys/tables")
        self.assertEqual(r.status, 200, r)
        sys_tables = {x["name"]: x["kind"] for x in r.json()["tables"]}
        self.assertEqual(sys_tables.get("queries"), "system table", sys_tables)

        r = s.get("/api/v1/catalog/schemas/main/tables/t")
        self.assertEqual(r.status, 200, r)
        t = r.json()
        self.assertEqual((t["schema"], t["name"], t["kind"]), ("main", "t", "table"))
        self.assertEqual([c["name"] for c in t["columns"]], ["x"])
        self.assertEqual(t["columns"][0]["type"].lower(), "bigint")
        self.assertIs(t["columns"][0]["nullable"], True)
        self.assertGreaterEqual(len(t["segments"]), 1)
        self.assertEqual(sum(seg["rows"] for seg in t["segments"]), 200000)
        for seg in t["segments"]:
            for key in ("id", "rows", "size_bytes", "interval_start", "interval_end", "version"):
                self.assertIn(key, seg)
            self.assertGreater(seg["size_bytes"], 0)

        r = s.get(f"/api/v1/catalog/schemas/main/tables/{quote(odd_table)}")
        self.assertEqual(r.status, 200, r)
        odd = r.json()
        self.assertEqual(odd["name"], odd_table)
        self.assertEqual([(c["name"], c["nullable"]) for c in odd["columns"]],
                         [(odd_column, False), ("v", True)])
        self.assertEqual(sum(seg["rows"] for seg in odd["segments"]), 2)
        self.assertIn(slash_table, tables)
        with self.subTest("a table name with a slash, URL-encoded as %2F"):
            r = s.get(f"/api/v1/catalog/schemas/main/tables/{quote(slash_table)}")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["name"], slash_table)
        with self.subTest("a table named like a route: x/tables/y"):
            s.query('CREATE TABLE "x/tables/y" (a INTEGER)')
            r = s.get(f"/api/v1/catalog/schemas/main/tables/{quote('x/tables/y')}")
            self.assertEqual(r.status, 200, r)
            self.assertEqual((r.json()["schema"], r.json()["name"]), ("main", "x/tables/y"))

        r = s.get(f"/api/v1/catalog/schemas/{quote('my schema')}/tables")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([x["name"] for x in r.json()["tables"]], ["tab le"])
        r = s.get(f"/api/v1/catalog/schemas/{quote('my schema')}/tables/{quote('tab le')}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["schema"], "my schema")

        r = s.get("/api/v1/catalog/schemas/main/tables/cat_view")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["kind"], "view")
        self.assertEqual(r.json()["segments"], [])

        self.assertError(s.get("/api/v1/catalog/schemas/no_such_schema/tables"), 404, "3F000")
        self.assertError(s.get("/api/v1/catalog/schemas/no_such_schema/tables/t"), 404, "3F000")
        self.assertError(s.get("/api/v1/catalog/schemas/main/tables/no_such_table"), 404,
                         "42P01")
        self.assertError(s.get(f"/api/v1/catalog/schemas/main/tables/{quote(odd_table + 'x')}"),
                         404, "42P01")
        # Catalog listings are not themselves listed as queries.
        self.assertFalse([q for q in s.queries(limit=200) if "information_schema" in q["sql"]])

    # --- cluster ------------------------------------------------------------------
    def test_single_node_lists_itself(self):
        s = self.server
        r = s.get("/api/v1/cluster/nodes")
        self.assertEqual(r.status, 200, r)
        nodes = r.json()["nodes"]
        self.assertEqual(len(nodes), 1, nodes)
        node = nodes[0]
        self.assertEqual(node["health"], "healthy")
        self.assertEqual(set(node["roles"]), ALL_ROLES)
        self.assertEqual(len(node["roles"]), 4)
        self.assertEqual(node["address"], "127.0.0.1")
        self.assertEqual(node["sql_port"], s.port)
        self.assertEqual(node["http_port"], s.http_port)
        self.assertGreaterEqual(node["cores"], 1)
        self.assertGreater(node["memory_bytes"], 0)
        self.assertRegex(node["last_heartbeat"], ISO_UTC)
        self.assertGreaterEqual(node["last_heartbeat_ms_ago"], 0)
        self.assertLess(node["last_heartbeat_ms_ago"], 10000)

    # --- metrics ------------------------------------------------------------------
    def test_metrics(self):
        s = self.server
        r = s.get("/metrics")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("Content-Type", "").startswith("text/plain"), r.headers)
        self.assertIn("version=0.0.4", r.headers.get("Content-Type", ""))
        before, helps, types = parse_metrics(r.text)
        for name, kind in REQUIRED_METRICS.items():
            self.assertIn(name, helps, f"no HELP for {name}")
            self.assertTrue(helps[name].strip(), name)
            self.assertEqual(types.get(name), kind, f"TYPE of {name}")
        names = {name for name, _ in before}
        for name in REQUIRED_METRICS:
            if name == "basalt_query_duration_seconds":
                for suffix in ("_bucket", "_sum", "_count"):
                    self.assertIn(name + suffix, names)
            else:
                self.assertIn(name, names, f"no sample of {name}")

        finished = ("basalt_queries_total", frozenset({("state", "finished")}))
        failed = ("basalt_queries_total", frozenset({("state", "failed")}))
        for _ in range(3):
            # sum(BIGINT) is DECIMAL(38,0): an exact string.
            self.assertEqual(s.query("SELECT sum(x) FROM t")["rows"], [["20000100000"]])
        self.assertEqual(s.post({"sql": "SELECT * FROM no_such_table_m"}).status, 400)
        after, _, _ = parse_metrics(s.get("/metrics").text)
        self.assertGreaterEqual(after[finished], before[finished] + 3)
        self.assertGreaterEqual(after[failed], before[failed] + 1)
        self.assertGreaterEqual(after[("basalt_rows_scanned_total", frozenset())],
                                before[("basalt_rows_scanned_total", frozenset())] + 3 * 200000)
        self.assertGreater(after[("basalt_bytes_scanned_total", frozenset())], 0)
        self.assertEqual(after[("basalt_spill_bytes_total", frozenset())], 0)
        self.assertGreaterEqual(after[("basalt_memory_in_use_bytes", frozenset())], 0)

        # The histogram: cumulative buckets ending in +Inf == _count == all ended.
        buckets = []
        for (name, labels), value in after.items():
            if name == "basalt_query_duration_seconds_bucket":
                le = dict(labels)["le"]
                buckets.append((math.inf if le == "+Inf" else float(le), value))
        buckets.sort()
        self.assertGreaterEqual(len(buckets), 2)
        self.assertEqual(buckets[-1][0], math.inf)
        for (_, a), (_, b) in zip(buckets, buckets[1:]):
            self.assertLessEqual(a, b, buckets)
        count = after[("basalt_query_duration_seconds_count", frozenset())]
        self.assertEqual(buckets[-1][1], count)
        ended = sum(v for (name, _), v in after.items() if name == "basalt_queries_total")
        self.assertEqual(count, ended)
        self.assertGreater(after[("basalt_query_duration_seconds_sum", frozenset())], 0)
        # Three fast queries landed in the 1 s bucket or below.
        le1 = next(v for le, v in buckets if le == 1)
        le1_before = next(v for (n, l), v in before.items()
                          if n == "basalt_query_duration_seconds_bucket" and dict(l)["le"] in
                          ("1", "1.0"))
        self.assertGreaterEqual(le1, le1_before + 3)

        ups = {dict(labels)["node"]: (dict(labels)["roles"], v) for (name, labels), v in
               after.items() if name == "basalt_node_up"}
        self.assertEqual(len(ups), 1, ups)
        roles, up = next(iter(ups.values()))
        self.assertEqual(up, 1)
        self.assertEqual(set(roles.split(",")), ALL_ROLES)

    # --- bad input ----------------------------------------------------------------
    def test_bad_input(self):
        s = self.server
        for body in ["{not json", "", "[1, 2]", '"SELECT 1"', "{}", '{"sql": 1}',
                     '{"sql": null}', '{"sql": ["SELECT 1"]}', '{"query": "SELECT 1"}',
                     '{"sql": "SELECT 1", "wait_ms": -1}', '{"sql": "SELECT 1", "wait_ms": "5"}',
                     '{"sql": "SELECT 1", "wait_ms": 1.5}', '{"sql": "SELECT 1", "page_size": 0}',
                     '{"sql": "SELECT 1", "page_size": -3}',
                     '{"sql": "SELECT 1", "page_size": 100001}',
                     '{"sql": "SELECT 1", "page_size": "10"}']:
            with self.subTest(body=body):
                body_json = self.assertError(s.post(body), 400, "08P01")
                self.assertNotIn("position", body_json["error"])

        with self.subTest("syntax error"):
            body = self.assertError(s.post({"sql": "SELECT 1 FROM WHERE"}), 400, "42601",
                                    position=14)
            self.assertEqual(body["state"], "failed")
            self.assertRegex(body["id"], r"^q[0-9a-f]+$")
            # It is listed as failed, with its error.
            info = s.info(body["id"])
            self.assertEqual(info["state"], "failed")
            self.assertEqual(info["error"]["code"], "42601")
            self.assertEqual(info["error"]["position"], 14)
        with self.subTest("unknown table"):
            body = self.assertError(s.post({"sql": "SELECT * FROM no_such_table"}), 400, "42P01",
                                    position=14)
            self.assertEqual(body["state"], "failed")
        with self.subTest("unknown function"):
            self.assertError(s.post({"sql": "SELECT no_such_fn(1)"}), 400, "42883")
        with self.subTest("division by zero"):
            self.assertError(s.post({"sql": "SELECT 1 / 0"}), 400, "22012")
        with self.subTest("unknown type: a bind error, 400 like every 42xxx"):
            self.assertError(s.post({"sql": "SELECT 1::no_such_type"}), 400, "42704")

        for method, path in [("GET", "/api/v1/queries/q0000000000000000000"),
                             ("DELETE", "/api/v1/queries/q0000000000000000000"),
                             ("GET", "/api/v1/queries/q0000000000000000000/rows"),
                             ("GET", "/api/v1/queries/no%20such")]:
            with self.subTest(method=method, path=path):
                self.assertError(request(s.http_port, method, path), 404, "42704")

        with self.subTest("body over 1 MiB"):
            big = json.dumps({"sql": "SELECT 1 -- " + "x" * (1 << 20)})
            r = s.post(big)
            self.assertError(r, 413, "54000")
        with self.subTest("a body of exactly 1 MiB is accepted"):
            sql = "SELECT 1 AS one -- "
            pad = (1 << 20) - len(json.dumps({"sql": sql}))
            body = json.dumps({"sql": sql + "y" * pad})
            self.assertEqual(len(body), 1 << 20)
            r = s.post(body)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["rows"], [[1]])

        for path in ["/api/v1/no_such_route", "/api/v2/query", "/api/v1/queries/a/b/c",
                     "/no_such_page.html"]:
            with self.subTest(route=path):
                self.assertError(s.get(path), 404, "42704")
        with self.subTest("wrong method"):
            r = request(s.http_port, "PUT", "/api/v1/query", body="{}")
            self.assertIn(r.status, (404, 405), r)
            self.assertIn("error", r.json())

        some_id = s.query("SELECT 1")["id"]
        for params in ["offset=-1", "offset=abc", "limit=0", "limit=-5", "limit=100001",
                       "limit=1x", "offset=1.5"]:
            with self.subTest(params=params):
                self.assertError(s.get(f"/api/v1/queries/{some_id}/rows?{params}"), 400, "08P01")
        for params in ["limit=0", "limit=abc", "limit=-1"]:
            with self.subTest(list_params=params):
                self.assertError(s.get(f"/api/v1/queries?{params}"), 400, "08P01")

        # Still up and answering.
        self.assertEqual(s.query("SELECT 40 + 2 AS v")["rows"], [[42]])
        self.assertIsNone(s.process.poll())

    def test_list_limit_and_order(self):
        s = self.server
        ids = [s.query(f"SELECT {i} AS order_probe")["id"] for i in range(5)]
        listed = s.queries(limit=3)
        self.assertEqual(len(listed), 3)
        finished = [q["id"] for q in s.queries(limit=200) if "order_probe" in q["sql"]]
        self.assertEqual(finished, list(reversed(ids)))


class HistoryRestTest(ServerTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="basalt_http_hist_")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def start(self, **kw):
        server = Server(self, **kw)
        self.addCleanup(server.close)
        return server

    def test_history_survives_restart(self):
        data = os.path.join(self.tmp, "data")
        s = self.start(data_dir=data)
        s.query("CREATE TABLE h AS SELECT x FROM generate_series(1, 1000) g(x)")
        ok = s.query("SELECT x FROM h WHERE x <= 3 ORDER BY x")
        self.assertEqual(ok["rows"], [[1], [2], [3]])
        failed = self.assertError(s.post({"sql": "SELECT * FROM no_such_h"}), 400, "42P01")
        syntax = self.assertError(s.post({"sql": "SELEC 1"}), 400, "42601")
        inserted = s.query("INSERT INTO h VALUES (1001), (1002)")
        s.psql("SELECT 'from psql' AS p", user="alice")
        plan_before = s.info(ok["id"])["plan"]
        self.assertIsNotNone(plan_before)
        s.stop()

        s2 = Server(self, data_dir=data)
        self.addCleanup(s2.close)
        listed = {q["id"]: q for q in s2.queries(limit=100)}
        for qid in (ok["id"], failed["id"], syntax["id"], inserted["id"]):
            self.assertIn(qid, listed, f"{qid} not listed after a restart: {list(listed)}")
        self.assertEqual(listed[ok["id"]]["state"], "finished")
        self.assertEqual(listed[ok["id"]]["rows"], 3)
        self.assertEqual(listed[ok["id"]]["sql"], "SELECT x FROM h WHERE x <= 3 ORDER BY x")
        self.assertEqual(listed[ok["id"]]["client"], "http")
        self.assertEqual(listed[failed["id"]]["state"], "failed")
        self.assertEqual(listed[failed["id"]]["error"]["code"], "42P01")
        self.assertEqual(listed[failed["id"]]["error"]["position"], 14)
        self.assertEqual(listed[syntax["id"]]["error"]["code"], "42601")
        self.assertEqual(listed[inserted["id"]]["rows"], 2)
        alice = [q for q in listed.values() if q["sql"] == "SELECT 'from psql' AS p"]
        self.assertEqual(len(alice), 1)
        self.assertEqual((alice[0]["user"], alice[0]["client"]), ("alice", "postgres"))
        # Newest first across the restart.
        order = [q["id"] for q in s2.queries(limit=100)]
        self.assertLess(order.index(inserted["id"]), order.index(ok["id"]))

        info = s2.info(ok["id"])
        self.assertEqual(info["state"], "finished")
        self.assertIsNotNone(info["plan"])
        self.assertEqual(info["plan"]["rows_returned"], 3)
        self.assertEqual(len(info["plan"]["fragments"]), len(plan_before["fragments"]))
        self.assertTrue(info["plan_text"].strip())
        # Ended before the restart: cancel is 409, rows are not kept (404).
        self.assertError(s2.delete(f"/api/v1/queries/{ok['id']}"), 409, "55000")
        self.assertError(s2.get(f"/api/v1/queries/{ok['id']}/rows"), 404, "42704")

        rows = s2.query("SELECT query_id, state, rows, error_code FROM sys.queries "
                        f"WHERE query_id IN ('{ok['id']}', '{failed['id']}', "
                        f"'{inserted['id']}') ORDER BY query_id")["rows"]
        expected = sorted([[ok["id"], "finished", 3, None], [failed["id"], "failed", 0, "42P01"],
                           [inserted["id"], "finished", 2, None]])
        # error_code of a success may be NULL or ''.
        rows = [[r[0], r[1], r[2], r[3] or None] for r in rows]
        self.assertEqual(rows, expected)

    def test_in_memory_server_lists_queries(self):
        s = self.start()
        out = s.query("SELECT 1 AS mem_probe")
        q = next(q for q in s.queries() if q["id"] == out["id"])
        self.assertEqual((q["state"], q["rows"], q["client"]), ("finished", 1, "http"))
        self.assertIsNotNone(s.info(out["id"])["plan"])
        rows = s.query(f"SELECT state FROM sys.queries WHERE query_id = '{out['id']}'")["rows"]
        self.assertEqual(rows, [["finished"]])
        s.stop()
        s2 = self.start()
        self.assertError(s2.get(f"/api/v1/queries/{out['id']}"), 404, "42704")
        self.assertFalse([q for q in s2.queries() if "mem_probe" in q["sql"]])

    def test_in_memory_keeps_last_500(self):
        """docs/http_api.md: finished queries are kept in memory, the last 500."""
        s = self.start()
        s.query("SELECT 0 AS keep_probe; " * 1200)
        listed = s.queries(limit=5000)
        self.assertEqual(len(listed), 500)
        self.assertTrue(all("keep_probe" in q["sql"] for q in listed))

    def test_history_retention_option(self):
        data = os.path.join(self.tmp, "data")
        s = self.start(data_dir=data, extra=["--query-history", "5"])
        ids = [s.query(f"SELECT {i} AS ret_probe")["id"] for i in range(12)]
        s.stop()
        s2 = self.start(data_dir=data, extra=["--query-history", "5"])
        listed = [q["id"] for q in s2.queries(limit=100) if "ret_probe" in q["sql"]]
        self.assertEqual(listed, list(reversed(ids))[:5])


class ConcurrentRestTest(ServerTestCase):
    """Long REST queries that wait for their end (no wait_ms) must not keep
    the API from answering: the list and DELETE still work."""

    def test_api_answers_while_many_queries_wait(self):
        tmp = tempfile.mkdtemp(prefix="basalt_http_conc_")
        self.addCleanup(shutil.rmtree, tmp, True)
        s = Server(self, data_dir=os.path.join(tmp, "data"))
        self.addCleanup(s.close)
        s.query("CREATE TABLE t AS SELECT x FROM generate_series(1, 200000) g(x)")
        answers = []
        lock = threading.Lock()

        def post():
            try:
                r = s.post({"sql": "SELECT count(*) FROM t a, t b"}, timeout=40)
                out = (r.status, r.json().get("error", {}).get("code"))
            except Exception as e:  # noqa: BLE001 - reported by the assertion below
                out = (None, type(e).__name__)
            with lock:
                answers.append(out)

        # More than cpp-httplib's default pool of 8 worker threads (on up to
        # 9 cores).
        count = 10
        threads = [threading.Thread(target=post, daemon=True) for _ in range(count)]
        for thread in threads:
            thread.start()
        running = []
        try:
            def all_running():
                try:
                    r = s.get("/api/v1/queries?limit=100", timeout=3)
                except OSError:
                    return None
                now = [q for q in r.json()["queries"] if q["state"] == "running"]
                return now if len(now) == count else None

            running = wait_for(all_running, 10,
                               f"{count} waiting REST queries listed as running while the API "
                               f"still answers")
        finally:
            # Cancel them through the API if it answers, else stop the server.
            try:
                listed = s.get("/api/v1/queries?limit=100", timeout=3).json()["queries"]
                for q in listed:
                    if q["state"] == "running":
                        request(s.http_port, "DELETE", f"/api/v1/queries/{q['id']}", timeout=3)
            except OSError:
                pass
            deadline = time.monotonic() + (10 if running else 1)
            for thread in threads:
                thread.join(max(0.1, deadline - time.monotonic()))
            if any(thread.is_alive() for thread in threads):
                s.cleanup()
                for thread in threads:
                    thread.join(10)
        self.assertEqual(len(running), count)
        self.assertEqual(sorted(answers), [(409, "57014")] * count)
        self.assertEqual(s.query("SELECT 1 AS still_up")["rows"], [[1]])


class ClusterRestTest(ServerTestCase):
    """A local cluster (a coordinator and two executors) through the
    coordinator's HTTP port."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="basalt_http_cluster_")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.port = free_port()
        self.http_port = free_port()
        self.addCleanup(self.stop_cluster)
        result = subprocess.run(
            [BASALT_BIN, "cluster", "start", "--executors", "2", "--dir", self.dir, "--port",
             str(self.port), "--http-port", str(self.http_port), "--threads", "1"],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def node_files(self):
        nodes = {}
        node_dir = os.path.join(self.dir, "nodes")
        for name in sorted(os.listdir(node_dir)) if os.path.isdir(node_dir) else []:
            if not name.endswith(".node"):
                continue
            fields = {}
            with open(os.path.join(node_dir, name)) as f:
                for line in f:
                    key, _, value = line.strip().partition("=")
                    fields[key] = value
            nodes[name[:-5]] = fields
        return nodes

    def stop_cluster(self):
        pids = [int(f["pid"]) for f in self.node_files().values() if f.get("pid")]
        try:
            subprocess.run([BASALT_BIN, "cluster", "stop", "--dir", self.dir],
                           capture_output=True, text=True, timeout=60)
        finally:
            for pid in pids:
                if pid_alive(pid):
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
            deadline = time.monotonic() + STOP_TIMEOUT
            for pid in pids:
                while pid_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                if pid_alive(pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

    def log(self):
        out = []
        node_dir = os.path.join(self.dir, "nodes")
        for name in sorted(os.listdir(node_dir)):
            if name.endswith(".log"):
                with open(os.path.join(node_dir, name), errors="replace") as f:
                    out.append(f"--- {name}\n{f.read()[-3000:]}")
        return "\n".join(out)

    def nodes(self):
        r = request(self.http_port, "GET", "/api/v1/cluster/nodes")
        self.assertEqual(r.status, 200, r)
        return {n["name"]: n for n in r.json()["nodes"]}

    def test_cluster_nodes_query_and_failure(self):
        files = self.node_files()
        self.assertEqual(set(files), {"coordinator", "executor-1", "executor-2"}, files)
        names = {label: f["name"] for label, f in files.items()}

        def all_healthy():
            nodes = self.nodes()
            ok = set(nodes) == set(names.values()) and \
                all(n["health"] == "healthy" for n in nodes.values())
            return nodes if ok else None

        nodes = wait_for(all_healthy, 15, "three healthy nodes")
        coordinator = nodes[names["coordinator"]]
        self.assertIn("coordinator", coordinator["roles"])
        self.assertEqual(coordinator["sql_port"], self.port)
        self.assertEqual(coordinator["http_port"], self.http_port)
        self.assertEqual(coordinator["rpc_port"], int(files["coordinator"]["rpc_port"]))
        for label in ("executor-1", "executor-2"):
            n = nodes[names[label]]
            self.assertEqual(n["roles"], ["executor"])
            self.assertEqual(n["rpc_port"], int(files[label]["rpc_port"]))
            self.assertEqual(n["address"], "127.0.0.1")
        for n in nodes.values():
            self.assertGreaterEqual(n["cores"], 1, n)
            self.assertGreater(n["memory_bytes"], 0, n)
            self.assertIsInstance(n["last_heartbeat_ms_ago"], int, n)
            self.assertGreaterEqual(n["last_heartbeat_ms_ago"], 0, n)
            self.assertLess(n["last_heartbeat_ms_ago"], 10000, n)
            self.assertRegex(n["last_heartbeat"], ISO_UTC)

        # A query through REST runs on the executors; its plan names hosts.
        def post(sql):
            r = request(self.http_port, "POST", "/api/v1/query", body={"sql": sql})
            self.assertEqual(r.status, 200, f"{r}\n{self.log()}")
            return r.json()

        post("CREATE TABLE c AS SELECT x FROM generate_series(1, 30000) g(x)")
        out = post("SELECT x % 3 AS k, count(*) AS n FROM c GROUP BY k ORDER BY k")
        self.assertEqual(out["rows"], [[0, 10000], [1, 10000], [2, 10000]])
        r = request(self.http_port, "GET", f"/api/v1/queries/{out['id']}")
        self.assertEqual(r.status, 200, r)
        plan = r.json()["plan"]
        self.assertIsNotNone(plan)
        self.assertGreaterEqual(len(plan["fragments"]), 2)
        self.assertEqual(len([o for o in plan_operators(plan) if o["slowest"] is True]), 1)
        hosts = " ".join(f["hosts"] for f in plan["fragments"])
        executor_names = [names["executor-1"], names["executor-2"]]
        with self.subTest("the fragments name the hosts they ran on"):
            self.assertTrue(any(name in hosts for name in executor_names),
                            f"no executor in the fragments' hosts: "
                            f"{[(f['id'], f['hosts']) for f in plan['fragments']]}")

        metrics, _, _ = parse_metrics(request(self.http_port, "GET", "/metrics").text)
        ups = {dict(l)["node"]: v for (n, l), v in metrics.items() if n == "basalt_node_up"}
        self.assertEqual(ups, {name: 1 for name in names.values()})

        # SIGKILL an executor: within 15 s it is listed as failed.
        victim = files["executor-1"]
        os.kill(int(victim["pid"]), signal.SIGKILL)

        def victim_failed():
            nodes = self.nodes()
            return nodes if nodes.get(victim["name"], {}).get("health") == "failed" else None

        nodes = wait_for(victim_failed, 15, "the killed executor to be listed as failed")
        self.assertEqual(nodes[names["executor-2"]]["health"], "healthy")
        self.assertEqual(nodes[names["coordinator"]]["health"], "healthy")
        metrics, _, _ = parse_metrics(request(self.http_port, "GET", "/metrics").text)
        ups = {dict(l)["node"]: v for (n, l), v in metrics.items() if n == "basalt_node_up"}
        self.assertEqual(ups[victim["name"]], 0)
        self.assertEqual(ups[names["executor-2"]], 1)
        # A failed node still says when it was last heard from.
        with self.subTest("a failed node keeps its last heartbeat"):
            self.assertIsNotNone(nodes[victim["name"]]["last_heartbeat"], nodes[victim["name"]])
            self.assertGreater(nodes[victim["name"]]["last_heartbeat_ms_ago"], 0)


class ShellProgressTest(ServerTestCase):
    """The basalt shell draws a progress bar on a terminal's stderr for a
    long statement: embedded, and against a server (through the session's
    process id and the HTTP port the server reports at startup)."""

    # A cross join of 30000 x 30000 rows: a few seconds on two threads.
    SETUP = "CREATE TABLE big AS SELECT x FROM generate_series(1, 30000) g(x)"
    LONG = "SELECT count(*) AS n FROM big a, big b WHERE a.x + b.x < 0"

    def run_with_terminal_stderr(self, args):
        """Runs basalt with stderr on a pseudo-terminal; returns (exit
        status, stdout, what the terminal showed)."""
        master, slave = pty.openpty()
        try:
            process = subprocess.Popen([BASALT_BIN, *args], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=slave)
        finally:
            os.close(slave)
        shown = b""
        deadline = time.monotonic() + 60
        try:
            while True:
                if time.monotonic() > deadline:
                    raise AssertionError(f"basalt {args} did not end; terminal:\n{shown!r}")
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:  # the terminal closed: the process is gone
                        chunk = b""
                    if not chunk and process.poll() is not None:
                        break
                    shown += chunk
                elif process.poll() is not None:
                    break
            out = process.stdout.read().decode()
            return process.wait(), out, shown.decode(errors="replace")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
            os.close(master)

    def assert_bar(self, shown):
        bars = [line for line in shown.replace("\x1b[K", "").split("\r") if "instances" in line]
        self.assertTrue(bars, f"no progress bar on the terminal:\n{shown!r}")
        self.assertRegex(bars[-1], r"^\[[=> ]+\] +\d+%  [0-9.]+K? of 60\.0K rows  \d+/\d+ instances")
        # Erased at the end: the last thing shown is the erase sequence.
        self.assertTrue(shown.endswith("\r\x1b[K"), repr(shown[-40:]))

    def test_embedded_shell(self):
        status, out, shown = self.run_with_terminal_stderr(
            ["--threads", "2", "--format", "csv", "-c", self.SETUP, "-c", self.LONG])
        self.assertEqual(status, 0, shown)
        self.assertEqual(out.splitlines()[-2:], ["n", "0"])
        self.assert_bar(shown)

    def test_shell_on_a_server(self):
        server = Server(self)
        self.addCleanup(server.close)
        server.query(self.SETUP)
        status, out, shown = self.run_with_terminal_stderr(
            ["--host", "127.0.0.1", "--port", str(server.port), "--format", "csv",
             "-c", self.LONG])
        self.assertEqual(status, 0, shown)
        self.assertEqual(out.splitlines()[-2:], ["n", "0"])
        self.assert_bar(shown)
        # The server listed the statement under the shell's session.
        sessions = [q["session"] for q in server.queries(limit=10) if q["sql"] == self.LONG]
        self.assertEqual(len(sessions), 1)
        self.assertGreater(sessions[0], 0)

    def test_no_bar_when_stderr_is_not_a_terminal(self):
        result = subprocess.run([BASALT_BIN, "--threads", "2", "-c", self.SETUP, "-c", self.LONG],
                                stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, b"")


if __name__ == "__main__":
    unittest.main()
