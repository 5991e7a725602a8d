"""Helpers shared by the cluster tests: ports, the basalt binary, `basalt
cluster status` parsed, waiting for a condition."""

import os
import socket
import subprocess
import time

BASALT_BIN = os.environ.get("BASALT_BIN", "build/basalt")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, timeout=60):
    return subprocess.run([BASALT_BIN, *args], capture_output=True, text=True, timeout=timeout)


def status_rows(cluster_dir):
    """`basalt cluster status` as {node label: (pid, health)}."""
    result = run("cluster", "status", "--dir", cluster_dir)
    rows = {}
    for line in result.stdout.splitlines()[1:]:
        # node, roles, pid, address, rpc, sql, http, health (which has spaces)
        fields = line.split(None, 7)
        if len(fields) == 8:
            rows[fields[0]] = (int(fields[2]), fields[7])
    return result.returncode, rows


def node_fields(cluster_dir, label):
    """The node file `basalt cluster` wrote for `label` (pid, host, ports...)."""
    fields = {}
    with open(os.path.join(cluster_dir, "nodes", label + ".node")) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            fields[key] = value
    return fields


def node_address(cluster_dir, label):
    """The node's name in the cluster: host:rpc_port."""
    fields = node_fields(cluster_dir, label)
    return f"{fields['host']}:{fields['rpc_port']}"


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
