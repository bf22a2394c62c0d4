"""Starting and waiting for local servers: shared by the benches and the tests' real servers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30, host: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Host": host} if host else {})
            urllib.request.urlopen(request, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def database_url(settings_dict: dict) -> str:
    host = settings_dict.get("HOST") or "127.0.0.1"
    host = quote(host, safe="") if host.startswith("/") else host
    password = settings_dict.get("PASSWORD") or ""
    auth = settings_dict.get("USER") or "postgres"
    if password:
        auth += ":" + quote(password, safe="")
    return f"postgres://{auth}@{host}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


def start_gunicorn(
    env: dict, log_dir: Path, *, workers: int = 2, host: str = "unknown.localhost", timeout: float = 30
) -> tuple[str, subprocess.Popen]:
    """The app as production runs it (``deploy/gunicorn.conf.py``) on a free loopback port, with ``env``
    (its settings, database, static folder), logging to ``log_dir/gunicorn.log``; returns once it answers
    (``host``: a Host header it answers). A server that never answers is stopped, not left behind."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=open(log_dir / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", timeout=timeout, host=host)
    except TimeoutError:
        stop(process)
        raise
    return base, process
