"""Drive an HTTP server on loopback for a fixed time: wrk when installed, else a Python keep-alive loop.

Both report requests per second and the 50th/99th percentile latency in milliseconds. Only loopback
addresses are ever loaded.
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0


def _check_loopback(url: str) -> None:
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"refusing to load a non-loopback address: {url}")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def run_wrk(url: str, host: str, seconds: float, connections: int) -> Result:
    _check_loopback(url)
    args = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "-H", f"Host: {host}", url]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Result(rps, p50, p99, int(errors.group(1)) if errors else 0)


def run_python(url: str, host: str, seconds: float, connections: int) -> Result:
    """A keep-alive loop per connection in threads (slower than wrk: compare runs of the same tool)."""
    _check_loopback(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    deadline = time.monotonic() + seconds

    def loop(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": host})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            latencies[index].append((time.perf_counter() - started) * 1000)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    every = sorted(x for per in latencies for x in per)
    if not every:
        return Result(0.0, 0.0, 0.0, sum(errors))
    p99 = every[min(len(every) - 1, int(len(every) * 0.99))]
    return Result(len(every) / elapsed, statistics.median(every), p99, sum(errors))


def run(url: str, host: str, seconds: float, connections: int) -> Result:
    return (run_wrk if wrk_available() else run_python)(url, host, seconds, connections)
