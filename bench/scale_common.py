"""Shared pieces of bench/compare_engines.py and bench/million.py (Python 3 standard library).

Timed child processes (wall seconds and peak RSS from GNU time -v, else wait4()), folder
sizes, a lupa-searchd started on a free loopback port and stopped again, and a keep-alive
HTTP client that times each request.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GNU_TIME = "/usr/bin/time"
# The indexer's file types, its summary line and the corpus size, as index_bench.py reads them.
from index_bench import SUMMARY, SUPPORTED, corpus_size  # noqa: E402,F401


def folder_bytes(folder: str) -> int:
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                total += os.path.getsize(path)
    return total


def run_timed(command: list[str], timeout: float, env: dict | None = None) -> dict:
    """Runs `command`; wall seconds, peak RSS in kB (largest process of the tree GNU time
    reports: the command itself), exit status, stdout and stderr. Kills it after `timeout`."""
    use_gnu_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as time_file, \
            tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        full = ([GNU_TIME, "-v", "-o", time_file.name] if use_gnu_time else []) + command
        started = time.perf_counter()
        process = subprocess.Popen(full, stdout=out, stderr=err, env=env, start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise SystemExit(f"{os.path.basename(command[0])} ran over {timeout:.0f} s; killed")
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        result = {"wall": wall, "exit": process.returncode, "stdout": out.read(), "stderr": err.read()}
        if use_gnu_time:
            report = time_file.read()
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
            result["rss_kb"] = int(found.group(1)) if found else 0
            found = re.search(r"Exit status: (\d+)", report)
            if found:
                result["exit"] = int(found.group(1))
        else:
            result["rss_kb"] = 0
    return result


def lupa_summary(stdout: str) -> dict:
    match = SUMMARY.search(stdout)
    if not match:
        return {}
    keys = ["files", "indexed", "unchanged", "removed", "skipped", "errors", "passages", "in_index"]
    return dict(zip(keys, map(int, match.groups())))


def spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Daemon:
    """lupa-searchd over `databases` on 127.0.0.1 at a free port; ready once /healthz answers."""

    def __init__(self, binary: str, databases: list[str], log_path: str, extra: list[str] | None = None,
                 start_timeout: float = 120.0):
        self.port = free_port()
        command = [binary]
        for database in databases:
            command += ["--db", database]
        command += ["--port", str(self.port), "--bind", "127.0.0.1"] + (extra or [])
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + start_timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{binary} exited with {self.process.returncode}; see {log_path}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"{binary} did not answer /healthz within {start_timeout:.0f} s")
            time.sleep(0.2)
        self.pid = self.process.pid

    def rss(self) -> tuple[int, int]:
        """(VmRSS, VmHWM) in KiB."""
        return rss_kib(self.pid), rss_kib(self.pid, "VmHWM")

    def stop(self) -> None:
        stop_process(self.process, self.log)



def stop_process(process: subprocess.Popen, log) -> None:
    """SIGTERM, then SIGKILL after 15 s; closes the process's log file."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log.close()

class Client:
    """One keep-alive HTTP/1.1 connection to the daemon; reconnects when the server closes it."""

    def __init__(self, port: int, timeout: float = 60.0):
        self.port, self.timeout = port, timeout
        self.connection = None

    def get_json(self, path: str) -> tuple[float, dict]:
        """(seconds from sending to the whole body read, parsed JSON)."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                started = time.perf_counter()
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
            except (http.client.HTTPException, ConnectionError) as error:
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise SystemExit(f"request {path} failed: {error}")
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            if response.status != 200:
                raise SystemExit(f"request {path} answered {response.status}: {body[:300]!r}")
            return elapsed, json.loads(body)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def search_path(query: str, extra: str = "") -> str:
    return "/api/search?q=" + urllib.parse.quote(query) + extra


def generate_corpus(out: str, size_mb: float, min_kb: int, max_kb: int, seed: int | None = None) -> None:
    command = [sys.executable, os.path.join(REPO, "bench", "generate_corpus.py"), "--out", out,
               "--size-mb", str(size_mb), "--min-kb", str(min_kb), "--max-kb", str(max_kb)]
    if seed is not None:
        command += ["--seed", str(seed)]
    print("  " + " ".join(command), flush=True)
    subprocess.run(command, check=True, timeout=6 * 3600)


def find_binary(build: str, name: str) -> str:
    path = os.path.join(build, "bin", name)
    if not os.access(path, os.X_OK):
        sys.exit(f"{path} not found; build first: cmake -S {REPO} -B {build} -DCMAKE_BUILD_TYPE=Release "
                 f"-DLUPA_BUILD_TESTS=OFF && cmake --build {build} -j")
    return path


def run_wrk(port: int, connections: int, duration: int, queries_file: str, caller: str) -> dict:
    """wrk with bench/rotate.lua over the query strings of `queries_file` at `connections`
    keep-alive connections for `duration` seconds: the figures of its BENCH line (latencies in
    microseconds: p50_us, p99_us, ...; rps; requests; errors_*)."""
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "10s", "-s", os.path.join(REPO, "bench", "rotate.lua"),
               f"http://127.0.0.1:{port}", "--", queries_file]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120).stdout
    line = next((l for l in output.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"{caller}: wrk printed no BENCH line:\n{output}")
    return {k: float(v) for k, v in (pair.split("=") for pair in line.split()[1:])}
