"""Times fetching large results from `basalt server`: the cost of encoding
DataRows (src/server/pg_data_rows.cc) as a client sees it.

Starts a server on a free loopback port, then for each query reports the best
of --repeat runs (wall time, and the server process's CPU time from
/proc/PID/stat, which leaves the client's own work out) of:
  - psycopg2 fetchall (text format, simple protocol; includes psycopg2's own
    parsing of every value, so it understates the server's share);
  - a raw socket that discards the bytes (text, simple protocol), which is
    close to the server's own throughput;
  - the same with the extended protocol and every result column in binary.

    /usr/bin/python3 bench/server/pg_fetch_bench.py --basalt build/basalt [--rows 3000000]

The server is stopped by its process id at the end. Not a test: nothing is
asserted beyond the row counts.
"""

import argparse
import os
import socket
import struct
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def message(kind, body):
    return kind + struct.pack("!I", len(body) + 4) + body


class RawClient:
    """Just enough of the protocol to send queries and discard the answers."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=600)
        params = b"user\0basalt\0database\0basalt\0\0"
        body = struct.pack("!I", 196608) + params
        self.sock.sendall(struct.pack("!I", len(body) + 4) + body)
        self.drain()

    def drain(self):
        """Reads until the stream ends in ReadyForQuery; returns the bytes read.
        The final ReadyForQuery is recognised by the last six bytes, which is
        enough for a benchmark whose data rows never end that way."""
        buffer = bytearray(1 << 20)
        view = memoryview(buffer)
        tail = b""
        total = 0
        while True:
            n = self.sock.recv_into(view)
            if n == 0:
                raise RuntimeError("server closed the connection")
            total += n
            tail = (tail + bytes(view[max(0, n - 6):n]))[-6:]
            if len(tail) == 6 and tail[:5] == b"Z\0\0\0\x05":
                return total

    def simple(self, sql):
        self.sock.sendall(message(b"Q", sql.encode() + b"\0"))
        return self.drain()

    def extended_binary(self, sql):
        parse = message(b"P", b"\0" + sql.encode() + b"\0" + struct.pack("!h", 0))
        # No parameters; one result format code (binary) for every column.
        bind = message(b"B", b"\0\0" + struct.pack("!hhhh", 0, 0, 1, 1))
        execute = message(b"E", b"\0" + struct.pack("!i", 0))
        sync = message(b"S", b"")
        self.sock.sendall(parse + bind + execute + sync)
        return self.drain()

    def close(self):
        self.sock.sendall(message(b"X", b""))
        self.sock.close()


def cpu_seconds(pid):
    """User plus system CPU time the process has used (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def best_of(repeat, run, pid):
    """The best wall time and the best server CPU time of `repeat` runs."""
    best = best_cpu = None
    for _ in range(repeat):
        cpu = cpu_seconds(pid)
        start = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds(pid) - cpu
        best = elapsed if best is None or elapsed < best else best
        best_cpu = cpu if best_cpu is None or cpu < best_cpu else best_cpu
    return best, best_cpu, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--basalt", default=os.environ.get("BASALT_BIN", "build/basalt"))
    parser.add_argument("--rows", type=int, default=3000000)
    parser.add_argument("--typed-rows", type=int, default=1000000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    queries = [
        ("range", f"SELECT * FROM range(0, {args.rows})", args.rows),
        ("typed", "SELECT range AS i, range::double / 7 AS d, "
                  "CAST(range AS DECIMAL(18,2)) / 100 AS n, "
                  "DATE '2020-01-01' + CAST(range % 1000 AS INTEGER) AS day, "
                  "TIMESTAMP '2020-01-01 00:00:00' + range * INTERVAL '1 second' AS ts, "
                  "range % 2 = 0 AS b, 'name ' || CAST(range AS VARCHAR) AS s, "
                  "CAST(range AS REAL) AS r "
                  f"FROM range(0, {args.typed_rows})", args.typed_rows),
    ]

    port = free_port()
    server = subprocess.Popen([args.basalt, "server", "--port", str(port), "--listen",
                               "127.0.0.1"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        import psycopg2
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="basalt", dbname="basalt")
        conn.autocommit = True
        raw = RawClient(port)
        print(f"server: {args.basalt}")
        for name, sql, rows in queries:
            cur = conn.cursor()

            def fetch():
                cur.execute(sql)
                return len(cur.fetchall())

            pid = server.pid
            seconds, cpu, count = best_of(args.repeat, fetch, pid)
            assert count == rows, (count, rows)
            print(f"{name:6} psycopg2 fetchall, text  {seconds:7.3f} s wall {cpu:7.2f} s server CPU"
                  f"  ({rows} rows)")
            seconds, cpu, size = best_of(args.repeat, lambda: raw.simple(sql), pid)
            print(f"{name:6} raw socket, text         {seconds:7.3f} s wall {cpu:7.2f} s server CPU"
                  f"  ({size / 1e6:.1f} MB)")
            seconds, cpu, size = best_of(args.repeat, lambda: raw.extended_binary(sql), pid)
            print(f"{name:6} raw socket, binary       {seconds:7.3f} s wall {cpu:7.2f} s server CPU"
                  f"  ({size / 1e6:.1f} MB)")
            sys.stdout.flush()
        raw.close()
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
